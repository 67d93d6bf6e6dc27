"""One training epoch of the demo CNN in PyTorch (CPU), timed; the model of org.norm4j.bench.CnnEpoch.

    python torch_epoch.py none|batchnorm [IMAGES] [THREADS] [DATA_DIR]

Rescaling(1/255) -> Conv2d(1, 32, 3) -> [BatchNorm2d] -> relu -> MaxPool2d(2) -> Conv2d(32, 64, 3) -> [BatchNorm2d]
-> relu -> MaxPool2d(2) -> Flatten -> Linear(1600, 10), softmax cross-entropy, Adam(lr 1e-3), batch 32, shuffled.
BatchNorm as Keras's defaults (momentum 0.99 = PyTorch's 0.01, epsilon 1e-3). Prints one line like CnnEpoch's.
"""
import platform
import time

import numpy as np
import torch
from torch import nn

from idx import cpu_model, load_train, parse_args


def model(bn):
    layers = []
    for cin, cout in ((1, 32), (32, 64)):
        layers.append(nn.Conv2d(cin, cout, 3))
        if bn:
            layers.append(nn.BatchNorm2d(cout, eps=1e-3, momentum=0.01))
        layers += [nn.ReLU(), nn.MaxPool2d(2)]
    return nn.Sequential(*layers, nn.Flatten(), nn.Linear(64 * 5 * 5, 10))


def main():
    variant, images, threads, data = parse_args("torch_epoch.py")
    torch.set_num_threads(threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(42)
    x, y = load_train(data, images)
    x = torch.from_numpy(x.astype(np.float32)).reshape(-1, 1, 28, 28)
    y = torch.from_numpy(y)
    m = model(variant == "batchnorm")
    opt = torch.optim.Adam(m.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    m.train()
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    perm = torch.randperm(images)
    loss = None
    for s in range(0, images, 32):
        idx = perm[s:s + 32]
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(m(x[idx] * (1.0 / 255)), y[idx])
        loss.backward()
        opt.step()
    t1 = time.perf_counter()
    cpu1 = time.process_time()
    print(f"torch variant={variant} images={images} threads={threads} epoch_s={t1 - t0:.2f} "
          f"cpu_s={cpu1 - cpu0:.2f} loss={loss.item():.4f} torch={torch.__version__} "
          f"python={platform.python_version()} cpu={cpu_model()}")


if __name__ == "__main__":
    main()
