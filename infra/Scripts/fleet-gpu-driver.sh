#!/bin/sh
# Runs on a GPU worker before it joins: installs the NVIDIA driver (Ubuntu's signed server build, loaded without a
# reboot) and the NVIDIA Container Toolkit. Idempotent. The orchestrator's script then wires the runtime.
set -eu

export DEBIAN_FRONTEND=noninteractive

if [ ! -e /proc/driver/nvidia/version ] && ! command -v nvidia-smi >/dev/null 2>&1; then
  apt-get update -q
  apt-get install -y -q ubuntu-drivers-common
  ubuntu-drivers install --gpgpu
  # --gpgpu installs the headless driver only; the agent's NVML reading and nvidia-smi need the matching utils.
  version=$(dpkg-query -W -f '${Package}\n' 'nvidia-headless-*-server' 'nvidia-driver-*-server' 2>/dev/null \
    | sed -n 's/.*-\([0-9][0-9]*\)-server$/\1/p' | head -n 1)
  if [ -n "$version" ]; then
    apt-get install -y -q "nvidia-utils-$version-server"
  fi
fi
# The packaged modules are prebuilt and signed for the running kernel.
modprobe nvidia || {
  echo "fleet: the NVIDIA kernel module did not load; see dmesg" >&2
  exit 1
}
if [ ! -e /proc/driver/nvidia/version ]; then
  echo "fleet: the NVIDIA driver is not running" >&2
  exit 1
fi
nvidia-smi -L || echo "fleet: nvidia-smi unavailable; the driver is loaded" >&2

if ! command -v nvidia-ctk >/dev/null 2>&1; then
  keyring=/usr/share/keyrings/nvidia-container-toolkit-keyring.gpg
  curl -fsSL https://nvidia.github.io/libnvidia-container/gpgkey | gpg --batch --yes --dearmor -o "$keyring"
  echo "deb [signed-by=$keyring] https://nvidia.github.io/libnvidia-container/stable/deb/\$(ARCH) /" \
    > /etc/apt/sources.list.d/nvidia-container-toolkit.list
  apt-get update -q
  apt-get install -y -q nvidia-container-toolkit
fi
echo "fleet: NVIDIA driver and container toolkit installed"
