#!/bin/sh
# Runs on a GPU worker before it joins: installs the NVIDIA driver (Ubuntu's signed server build, loaded without a
# reboot) and the NVIDIA Container Toolkit. Idempotent. The orchestrator's script then wires the runtime.
set -eu

export DEBIAN_FRONTEND=noninteractive

if ! command -v nvidia-smi >/dev/null 2>&1; then
  apt-get update -q
  apt-get install -y -q ubuntu-drivers-common
  ubuntu-drivers install --gpgpu
fi
# The packaged modules are prebuilt and signed for the running kernel.
modprobe nvidia || {
  echo "fleet: the NVIDIA kernel module did not load; see dmesg" >&2
  exit 1
}
nvidia-smi -L

if ! command -v nvidia-ctk >/dev/null 2>&1; then
  keyring=/usr/share/keyrings/nvidia-container-toolkit-keyring.gpg
  curl -fsSL https://nvidia.github.io/libnvidia-container/gpgkey | gpg --batch --yes --dearmor -o "$keyring"
  echo "deb [signed-by=$keyring] https://nvidia.github.io/libnvidia-container/stable/deb/\$(ARCH) /" \
    > /etc/apt/sources.list.d/nvidia-container-toolkit.list
  apt-get update -q
  apt-get install -y -q nvidia-container-toolkit
fi
echo "fleet: NVIDIA driver and container toolkit installed"
