#!/bin/sh
# Swarm GPU workers: after fleet-gpu-driver.sh, make nvidia Docker's default runtime so the agent's Swarm task sees
# the GPU (Swarm services cannot ask for --gpus). k3s needs no such step: it detects the toolkit at start and the
# agent pods select the nvidia RuntimeClass.
set -eu
nvidia-ctk runtime configure --runtime=docker --set-as-default
echo "fleet: NVIDIA runtime is Docker's default"
