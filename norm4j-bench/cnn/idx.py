"""Reads the Fashion-MNIST training IDX files (gzip or plain) for torch_epoch.py and keras_epoch.py."""
import gzip
import os
import struct
import sys

import numpy as np


def _open(path):
    for p in (path + ".gz", path):
        if os.path.exists(p):
            return gzip.open(p, "rb") if p.endswith(".gz") else open(p, "rb")
    raise FileNotFoundError(path + "(.gz): expected the Fashion-MNIST IDX files there")


def load_train(directory, images):
    """The first `images` training images as uint8 [n, 28, 28] and their labels as int64 [n]."""
    with _open(os.path.join(directory, "train-images-idx3-ubyte")) as f:
        magic, n, rows, cols = struct.unpack(">IIII", f.read(16))
        if magic != 2051 or rows != 28 or cols != 28:
            raise ValueError(f"train-images: magic {magic}, {rows}x{cols}: expected 2051, 28x28")
        if images > n:
            raise ValueError(f"images {images}: expected at most {n}")
        x = np.frombuffer(f.read(images * rows * cols), dtype=np.uint8).reshape(images, rows, cols)
    with _open(os.path.join(directory, "train-labels-idx1-ubyte")) as f:
        magic, n = struct.unpack(">II", f.read(8))
        if magic != 2049 or images > n:
            raise ValueError(f"train-labels: magic {magic}, {n} labels: expected 2049 and >= {images}")
        y = np.frombuffer(f.read(images), dtype=np.uint8).astype(np.int64)
    if len(x) != images or len(y) != images:
        raise ValueError("truncated IDX file")
    return x, y


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


def parse_args(script):
    """(variant, images, threads, data directory) from sys.argv: none|batchnorm [IMAGES] [THREADS] [DATA_DIR]."""
    if len(sys.argv) < 2 or sys.argv[1] not in ("none", "batchnorm"):
        sys.exit(f"usage: {script} none|batchnorm [IMAGES] [THREADS] [DATA_DIR]")
    images = int(sys.argv[2]) if len(sys.argv) > 2 else 60000
    threads = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    data = sys.argv[4] if len(sys.argv) > 4 else "/usr/share/datasets/fashion-mnist"
    if images < 32 or threads < 1:
        sys.exit(f"images {images}, threads {threads}: expected images >= 32 and threads >= 1")
    return sys.argv[1], images, threads, data
