"""The README's Fashion-MNIST recipe written plainly in PyTorch: the baseline of docs/quality.md.

dcgan-28 (seed 000's Fashion-MNIST nets), mmd-gp with λ_GP = 1 on the witness function, the rq-mix kernel with
α ∈ {0.2, 0.5, 1, 2, 5} on a 128-dimensional critic output, batch 64, one critic update per generator step,
Adam 2e-4 with β = (0.5, 0.999), batches drawn uniformly with replacement. Everything is written from the
definitions (docs/methods.md), not from the product's code.

Usage (Debian's python3-torch; two threads, as the product uses both cores):
  /usr/bin/python3 bench/pytorch/mmd_gan_recipe.py --steps 2000 --seed 0 --save-at 1000,2000 --out runs/torch-s0
With --time-limit SECONDS the run ends after the step during which that much training time has passed, and saves
its samples then (as `mmdgan train --time-limit`). With --bench N it times N steps after 20 warm-up steps instead and
writes OUT/bench.json: the median ms of a critic update and of a generator update, the figures `mmdgan bench train`
reports for the product (docs/quality.md compares the two).

Writes OUT/samples-STEP.npy (10,000 samples [n, 784] float32 in [-1, 1], generator in eval mode: running
batch-norm statistics, as the product's sampler) and OUT/log.json (steps/s, losses, wall time per saved step).
Evaluate the samples as the product evaluates a checkpoint:
  ./mmdgan evaluate --samples runs/torch-s0/samples-2000.npy --dataset fashion-mnist --json
"""
import argparse
import gzip
import json
import math
import os
import time

# torch's own threads (--threads) already share the work of each op between the cores. OpenBLAS's threads on top of
# them oversubscribe the cores: with both at 2 on this project's 2-core machine, a step took 2.3 times as long
# (1.8 against 4.2 steps/s). Set before numpy and torch load OpenBLAS.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

ALPHAS = (0.2, 0.5, 1.0, 2.0, 5.0)


def load_fashion_mnist(folder):
    with gzip.open(os.path.join(folder, "train-images-idx3-ubyte.gz")) as f:
        raw = np.frombuffer(f.read(), np.uint8, offset=16)
    return torch.from_numpy((raw.reshape(-1, 784).astype(np.float32) / 127.5) - 1.0)


class Generator(nn.Module):
    """z ∈ R¹⁰⁰ → dense 7·7·128, BN, ReLU → deconv 4×4 s2 64, BN, ReLU → deconv 4×4 s2 1 → tanh."""

    def __init__(self):
        super().__init__()
        self.dense = nn.Linear(100, 7 * 7 * 128, bias=False)
        self.bn0 = nn.BatchNorm1d(7 * 7 * 128)
        self.up = nn.ConvTranspose2d(128, 64, 4, 2, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.out = nn.ConvTranspose2d(64, 1, 4, 2, 1)

    def forward(self, z):
        h = F.relu(self.bn0(self.dense(z))).view(-1, 128, 7, 7)
        h = F.relu(self.bn1(self.up(h)))
        return torch.tanh(self.out(h)).view(-1, 784)


class Critic(nn.Module):
    """conv 4×4 s2 64, LReLU(0.2) → conv 4×4 s2 128, LReLU → dense 128 (no batch norm under a gradient penalty)."""

    def __init__(self, dim=128):
        super().__init__()
        self.c0 = nn.Conv2d(1, 64, 4, 2, 1)
        self.c1 = nn.Conv2d(64, 128, 4, 2, 1)
        self.fc = nn.Linear(128 * 7 * 7, dim)

    def forward(self, x):
        h = F.leaky_relu(self.c0(x.view(-1, 1, 28, 28)), 0.2)
        h = F.leaky_relu(self.c1(h), 0.2)
        return self.fc(h.flatten(1))


def reinitialize(model, scheme, generator):
    """PyTorch's default is kept for 'torch'; 'he-normal' and 'dcgan' redraw weights, biases to zero."""
    if scheme == "torch":
        return
    for m in model.modules():
        if isinstance(m, (nn.Linear, nn.Conv2d, nn.ConvTranspose2d)):
            if scheme == "dcgan":
                m.weight.data.normal_(0.0, 0.02, generator=generator)
            else:  # he-normal over the fan-in of the forward map, as the product draws it
                taps = m.weight[0, 0].numel() if m.weight.dim() == 4 else 1
                if isinstance(m, nn.ConvTranspose2d):
                    taps //= 4  # a 4×4 stride-2 transposed convolution: each output sees 2×2 taps per channel
                fan_in = m.in_channels * taps if m.weight.dim() == 4 else m.in_features
                m.weight.data.normal_(0.0, math.sqrt(2.0 / fan_in), generator=generator)
            if m.bias is not None:
                m.bias.data.zero_()


def rq_mix(d2):
    return sum((1 + d2 / (2 * a)) ** (-a) for a in ALPHAS)


def sq_dist(a, b):
    return ((a * a).sum(1, keepdim=True) - 2 * a @ b.t() + (b * b).sum(1).unsqueeze(0)).clamp_min(0)


def mmd2_unbiased(fx, fy):
    m = fx.shape[0]
    kxx, kyy, kxy = rq_mix(sq_dist(fx, fx)), rq_mix(sq_dist(fy, fy)), rq_mix(sq_dist(fx, fy))
    off = lambda k: (k.sum() - k.diagonal().sum()) / (m * (m - 1))
    return off(kxx) + off(kyy) - 2 * kxy.mean()


def witness_penalty(critic, real, fake, fx, fy, u):
    """E (‖∇f(x̂)‖ − 1)² with f(t) = mean_i k(φ(x_i), φ(t)) − mean_j k(φ(y_j), φ(t)), x̂ = u·x + (1 − u)·y."""
    hat = (u * real + (1 - u) * fake).detach().requires_grad_(True)
    fh = critic(hat)
    f = rq_mix(sq_dist(fh, fx)).mean(1) - rq_mix(sq_dist(fh, fy)).mean(1)
    grad, = torch.autograd.grad(f.sum(), hat, create_graph=True)
    return ((grad.pow(2).sum(1) + 1e-12).sqrt() - 1).pow(2).mean()


def critic_update(data, gen, critic, opt_d, batch):
    real = data[torch.randint(len(data), (batch,))]
    with torch.no_grad():
        fake = gen(torch.randn(batch, 100))
    fx, fy = critic(real), critic(fake)
    loss_d = -mmd2_unbiased(fx, fy) + witness_penalty(critic, real, fake, fx, fy, torch.rand(batch, 1))
    opt_d.zero_grad(set_to_none=True)
    loss_d.backward()
    opt_d.step()
    return loss_d


def generator_update(data, gen, critic, opt_g, batch):
    real = data[torch.randint(len(data), (batch,))]
    fake = gen(torch.randn(batch, 100))
    loss_g = mmd2_unbiased(critic(real), critic(fake))
    opt_g.zero_grad(set_to_none=True)
    loss_g.backward()
    opt_g.step()
    return loss_g


def bench(data, gen, critic, opt_d, opt_g, batch, warmup, steps, out, about):
    """Median ms of a critic update and of a generator update, as `mmdgan bench train` reports them."""
    critic_ms, generator_ms = [], []
    for i in range(warmup + steps):
        t = time.perf_counter()
        critic_update(data, gen, critic, opt_d, batch)
        u = time.perf_counter()
        generator_update(data, gen, critic, opt_g, batch)
        if i >= warmup:
            critic_ms.append((u - t) * 1000)
            generator_ms.append((time.perf_counter() - u) * 1000)
    result = {"critic_step_ms": float(np.median(critic_ms)), "generator_step_ms": float(np.median(generator_ms)),
              "max_step_ms": max(c + g for c, g in zip(critic_ms, generator_ms)), "steps": steps, "warmup": warmup,
              **about}
    with open(os.path.join(out, "bench.json"), "w") as f:
        json.dump(result, f, indent=1)
    print(json.dumps(result))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--steps", type=int, default=0, help="training steps (required unless --bench)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--save-at", default="", help="steps whose samples to save, comma-separated (and --steps)")
    p.add_argument("--samples", type=int, default=10_000)
    p.add_argument("--init", choices=("torch", "he-normal", "dcgan"), default="torch")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--time-limit", type=float, default=0,
                   help="seconds of training after which the step under way is the last (0: none; --steps stays the bound)")
    p.add_argument("--bench", type=int, default=0,
                   help="instead of training: time this many steps after 20 warm-up steps, write OUT/bench.json")
    p.add_argument("--out", required=True)
    a = p.parse_args()
    if a.steps < 1 and a.bench < 1:
        p.error("give --steps (training) or --bench (timing)")

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    os.makedirs(a.out, exist_ok=True)
    data = load_fashion_mnist(a.data)
    gen, critic = Generator(), Critic()
    rng = torch.Generator().manual_seed(a.seed)
    reinitialize(gen, a.init, rng)
    reinitialize(critic, a.init, rng)
    opt_g = torch.optim.Adam(gen.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(critic.parameters(), lr=2e-4, betas=(0.5, 0.999))
    about = {"recipe": "dcgan-28 mmd-gp rq-mix s=128 batch 64 n_critic 1 adam 2e-4 (0.5, 0.999)", "seed": a.seed,
             "init": a.init, "threads": a.threads, "openblas_threads": os.environ["OPENBLAS_NUM_THREADS"],
             "torch": torch.__version__}
    batch = 64
    if a.bench:
        bench(data, gen, critic, opt_d, opt_g, batch, 20, a.bench, a.out, about)
        return
    save_at = sorted({int(s) for s in a.save_at.split(",") if s} | {a.steps})
    log = {**about, "saved": []}
    t0 = time.time()
    train_seconds = 0.0
    for step in range(1, a.steps + 1):
        t = time.time()
        loss_d = critic_update(data, gen, critic, opt_d, batch)
        loss_g = generator_update(data, gen, critic, opt_g, batch)
        train_seconds += time.time() - t
        if step % 100 == 0:
            print(f"step {step} loss_d {loss_d.item():.4f} loss_g {loss_g.item():.4f} "
                  f"{step / train_seconds:.2f} steps/s", flush=True)
        last = step == a.steps or 0 < a.time_limit <= train_seconds
        if step in save_at or last:
            gen.eval()
            with torch.no_grad():
                g = torch.Generator().manual_seed(12345)
                samples = torch.cat([gen(torch.randn(500, 100, generator=g)) for _ in range(a.samples // 500)])
            gen.train()
            np.save(os.path.join(a.out, f"samples-{step}.npy"), samples.numpy().astype(np.float32))
            log["saved"].append({"step": step, "train_seconds": train_seconds, "wall_seconds": time.time() - t0,
                                 "loss_d": loss_d.item(), "loss_g": loss_g.item()})
            log["steps_per_s"] = step / train_seconds
            with open(os.path.join(a.out, "log.json"), "w") as f:
                json.dump(log, f, indent=1)
        if last:
            break


if __name__ == "__main__":
    main()
