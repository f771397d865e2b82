#!/usr/bin/env python3
"""What the sink's durable write pattern costs on this disk, against the export benchmark's reference writer.

One small C writer (built here with gcc; bench_scale.py's export reference is its first mode) writes the same
tree five ways, shaped like an export (one folder per conversation under hour folders, a ~3.4 KiB transcript
and a ~1 KiB sidecar in each), in batches of 512 files:
  reference   create each file in place, one syncfs per batch (bench_scale.py's C writer);
  tmp+rename  what FileSink does: temporary files in one folder, syncfs, rename each under its key, syncfs;
  O_TMPFILE   unnamed files in their folder, syncfs, linkat each under its key, syncfs;
  beside+rename  temporary names beside their keys (same folder), syncfs, rename each, syncfs;
  one sync    tmp+rename without the second syncfs: the next batch's syncfs makes the renames durable (a
              batch's records would then commit one batch later).
Each runs --rounds times, in turn, into fresh folders (nothing is deleted between runs: a burst of deletes
slows the next burst of creates on ext4), and the medians are printed with their ratio to the reference. Files
written earlier in a run slow later writers too (at 100k conversations on a fresh filesystem, the same writer
took 6.8 s first and 9.8 s fourth): compare medians of several rounds, never single runs.

    python3 scripts/bench_write_patterns.py [--conversations 25000] [--rounds 3] [--dir /tmp]

The export goal of issue 9 is 2x the reference; the pattern alone is the floor under our export's ratio.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

BATCH_FILES = 512

# The one C writer of both benchmarks: bench_scale.py's export reference is its mode 0.
C_SOURCE = r"""
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
enum { MAX_BATCH = 1024, MAX_PATH = 8192 };
static char paths[MAX_BATCH][MAX_PATH], tmps[MAX_BATCH][MAX_PATH];
static int fds[MAX_BATCH];
static char buf[1 << 20];
static void mkdirs(char *path) {
    for (char *p = path + 1; *p; p++) if (*p == '/') { *p = 0; mkdir(path, 0755); *p = '/'; }
}
/* Moves a batch's staged files under their names (modes 1 to 4), between two syncs; mode 0 only syncs. Mode 4
   leaves out the second sync: the next batch's first sync makes this batch's renames durable too (the last batch
   still ends with one). */
static int place(int rootfd, int mode, int k, int last) {
    syncfs(rootfd);
    if (mode == 0) return 0;
    for (int i = 0; i < k; i++) {
        if (mode == 1 || mode == 3 || mode == 4) { if (rename(tmps[i], paths[i])) { perror("rename"); return 1; } }
        else {
            char p[64]; snprintf(p, sizeof p, "/proc/self/fd/%d", fds[i]);
            if (linkat(AT_FDCWD, p, AT_FDCWD, paths[i], AT_SYMLINK_FOLLOW)) { perror("linkat"); return 1; }
            close(fds[i]);
        }
    }
    if (mode != 4 || last) syncfs(rootfd);
    return 0;
}
/* argv: list of "size path" lines, root, files per batch,
   mode (0 reference, 1 tmp+rename, 2 O_TMPFILE+linkat, 3 temporary name beside the key+rename,
   4 tmp+rename with one sync per batch) */
int main(int argc, char **argv) {
    if (argc != 5) return 2;
    FILE *list = fopen(argv[1], "r"); const char *root = argv[2];
    int batch = atoi(argv[3]), mode = atoi(argv[4]);
    if (!list || batch < 1 || batch > MAX_BATCH || mode < 0 || mode > 4) return 2;
    memset(buf, 'x', sizeof buf);
    char line[MAX_PATH], tmpdir[MAX_PATH]; long size; int k = 0, n = 0;
    int rootfd = open(root, O_RDONLY | O_DIRECTORY);
    snprintf(tmpdir, sizeof tmpdir, "%s/.tmp", root);
    if (mode == 1 || mode == 4) mkdir(tmpdir, 0755);
    while (fscanf(list, "%ld %8000[^\n]\n", &size, line) == 2) {
        snprintf(paths[k], MAX_PATH, "%s/%s", root, line);
        mkdirs(paths[k]);
        int fd;
        if (mode == 0) fd = open(paths[k], O_WRONLY | O_CREAT | O_TRUNC, 0644);
        else if (mode == 1 || mode == 4) { snprintf(tmps[k], MAX_PATH, "%s/t-%d", tmpdir, n); fd = open(tmps[k], O_WRONLY | O_CREAT | O_EXCL, 0644); }
        else if (mode == 3) {
            snprintf(tmps[k], MAX_PATH, "%s", paths[k]);
            char *slash = strrchr(tmps[k], '/');
            snprintf(slash + 1, MAX_PATH - (slash + 1 - tmps[k]), ".%s.t-%d", strrchr(paths[k], '/') + 1, n);
            fd = open(tmps[k], O_WRONLY | O_CREAT | O_EXCL, 0644);
        }
        else { char d[MAX_PATH]; strcpy(d, paths[k]); *strrchr(d, '/') = 0; fd = open(d, O_WRONLY | O_TMPFILE, 0644); }
        if (fd < 0) { perror(paths[k]); return 1; }
        while (size > 0) { long c = size < (long)sizeof buf ? size : (long)sizeof buf; if (write(fd, buf, c) != c) return 1; size -= c; }
        if (mode == 2) fds[k] = fd; else close(fd);
        k++; n++;
        if (k == batch) { if (place(rootfd, mode, k, 0)) return 1; k = 0; }
    }
    return place(rootfd, mode, k, 1);  /* the last, partial batch (mode 0: the final sync) */
}
"""


def build_writer(work: Path) -> Path:
    """Compiles the writer into `work` with gcc; returns the binary."""
    source, binary = work / "writer.c", work / "writer"
    source.write_text(C_SOURCE)
    subprocess.run(["gcc", "-O2", "-o", str(binary), str(source)], check=True)
    return binary


PATTERNS = [("reference", 0), ("tmp+rename", 1), ("O_TMPFILE", 2), ("beside+rename", 3), ("one sync", 4)]


def listing(conversations: int) -> str:
    """An export-shaped tree: ~180 conversations a day, one folder each under its hour, two files per folder."""
    lines = []
    for i in range(conversations):
        day, hour = divmod(i // 8, 24)
        folder = f"bench/year=2023/day={day:03d}/hour={hour:02d}/conversation_id=c{i:07d}"
        lines.append(f"{3300 + i % 200} {folder}/r{i:07d}.json")
        lines.append(f"{1000 + i % 50} {folder}/r{i:07d}.json_metadata.json")
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--conversations", type=int, default=25_000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--dir", default=tempfile.gettempdir(), help="where the trees go (the disk under test)")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-write-", dir=args.dir))
    try:
        writer = build_writer(work)
        (work / "files.txt").write_text(listing(args.conversations))
        times: dict[str, list[float]] = {name: [] for name, _ in PATTERNS}
        for r in range(args.rounds):
            for name, mode in PATTERNS:
                root = work / f"{mode}-{r}"
                root.mkdir()
                t0 = time.monotonic()
                subprocess.run([str(writer), str(work / "files.txt"), str(root), str(BATCH_FILES), str(mode)], check=True)
                times[name].append(time.monotonic() - t0)
        files = 2 * args.conversations
        reference = statistics.median(times["reference"])
        print(f"{files:,} files in {args.conversations:,} folders, syncfs per {BATCH_FILES} files, {args.rounds} rounds")
        for name, _ in PATTERNS:
            m = statistics.median(times[name])
            runs = ", ".join(f"{t:.2f}" for t in times[name])
            print(f"  {name:<11} median {m:6.2f} s   runs {runs}   {m / reference:.2f}x the reference")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
