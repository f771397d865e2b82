#!/usr/bin/env python3
"""A/B runs of one export on a freshly made filesystem, each beside the C writer on the same filesystem.

bench_scale.py times the export on whatever disk holds its temporary folder, whose speed for a burst of small
files swings by 2x from one minute to the next. For comparing two builds, this script gives each run a new
filesystem, so that no run pays for what an earlier one left:
  disk     ext4 on a loop device backed by a file on this disk (--image, default /work/fsimg);
  ramext4  ext4 on a loop device backed by a file in RAM (the kernel's ext4 work, no disk waits: CPU-bound);
  tmpfs    no filesystem work beyond the page cache (the most CPU-bound).
It copies a seeded data folder there, starts the build, runs a held export at --export-rate 0 over --interval,
and prints the export's time, the server's CPU time, when progress first moved and when every recording was
written, the bytes it wrote (/proc/PID/io), then the C writer's time for the same files and the ratio.

    genesys-mock seed --conversations 200000 --data /tmp/seed200k          # once
    sudo python3 scripts/bench_export_fs.py --fs ramext4 --seed /tmp/seed200k \\
        .build/release/genesys-mock /tmp/other-build/genesys-mock          # builds run in turn, --rounds times

Needs root (mount, losetup) and gcc. Interval: 2023-01-01 to 2023-04-01 holds about 100k of 200k seeded.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_scale as bs  # noqa: E402  (its server, HTTP and C writer helpers)

MOUNT = Path("/mnt/genesys-mock-bench")
RAM = Path("/mnt/genesys-mock-bench-ram")


def fresh_filesystem(kind: str, image: str) -> None:
    """Unmounts what an earlier run left and mounts a new, empty filesystem of `kind` at MOUNT."""
    for m in (MOUNT, RAM):
        subprocess.run(["umount", str(m)], stderr=subprocess.DEVNULL)
        m.mkdir(parents=True, exist_ok=True)
    if kind == "tmpfs":
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8G", "tmpfs", str(MOUNT)], check=True)
        return
    if kind == "ramext4":
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=10G", "tmpfs", str(RAM)], check=True)
        image = str(RAM / "fs.img")
    Path(image).unlink(missing_ok=True)
    subprocess.run(["truncate", "-s", "9G", image], check=True)
    subprocess.run(["mkfs.ext4", "-q", "-F", "-i", "8192", image], check=True)  # two trees of small files: many inodes
    subprocess.run(["mount", "-o", "loop", image, str(MOUNT)], check=True)


def cpu_seconds(pid: int) -> float:
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def one_run(binary: str, seed: Path, interval: str) -> str:
    data = MOUNT / "data"
    shutil.copytree(seed, data)
    proc, api, _ = bs.start_server(binary, data)
    try:
        os.sync()
        cpu0 = cpu_seconds(proc.pid)
        elapsed, job, _, progress = bs.run_export(api, bs.token(api), "bench/", interval)
        cpu = cpu_seconds(proc.pid) - cpu0
        first = next((t for t, done in progress if done > 0), None)
        written = next((t for t, done in progress if done and done == job["totalRecordings"]), None)
        io = dict(line.split(": ") for line in open(f"/proc/{proc.pid}/io").read().splitlines())
    finally:
        bs.stop_server(proc)
    writer = bs.c_writer_reference(data / "s3" / "legal-discovery-eu", "bench/", MOUNT, "reference-tree")
    return (f"{job['totalRecordings']:,} recordings in {elapsed:.2f} s (CPU {cpu:.1f} s; first progress "
            f"{first or 0:.2f} s, all written {written or elapsed:.2f} s; wrote {int(io['write_bytes']) / 1e9:.2f} GB)"
            f"  C writer {writer:.2f} s  {elapsed / writer:.2f}x")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("builds", nargs="+", help="genesys-mock binaries, run in turn")
    ap.add_argument("--seed", required=True, type=Path, help="a seeded data folder (genesys-mock seed), copied per run")
    ap.add_argument("--fs", choices=["disk", "ramext4", "tmpfs"], default="ramext4")
    ap.add_argument("--image", default="/work/fsimg", help="the loop device's backing file for --fs disk")
    ap.add_argument("--interval", default="2023-01-01T00:00:00Z/2023-04-01T00:00:00Z")
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    try:
        for _ in range(args.rounds):
            for binary in args.builds:
                fresh_filesystem(args.fs, args.image)
                print(f"{binary} [{args.fs}]: {one_run(binary, args.seed, args.interval)}", flush=True)
    finally:
        for m in (MOUNT, RAM):
            subprocess.run(["umount", str(m)], stderr=subprocess.DEVNULL)
        if args.fs == "disk":
            Path(args.image).unlink(missing_ok=True)


if __name__ == "__main__":
    main()
