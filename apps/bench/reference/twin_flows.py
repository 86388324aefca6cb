"""Networks and coupling flows shared by the PyTorch twins (parity-twin.py, mnist-twin.py).

The MLP of pfm's core/maps/mlp.ts and the coupling flows of pfm's likelihood package
(likelihood/objectives/coupling-flow-specs.ts, flow-training-run.ts, bijectors/*.ts): per block,
data → noise, ActNorm, a coupling (affine, additive or rational-quadratic spline, transforming the
coordinates ≥ ⌊d/2⌋), then a mixing layer between blocks (Glow's flow step). Every layer has
forward(z) = (x, log|det Dψ(z)|) and inverse(x) = (z, log|det Dψ⁻¹(x)|).
"""

import math

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from twin_recipe import RecipeError, choice, read_fields

ACTIVATIONS = {
    "relu": nn.ReLU, "silu": nn.SiLU, "tanh": nn.Tanh, "selu": nn.SELU,
    "gelu": nn.GELU,  # exact x·Φ(x) (approximate='none')
    "elu": nn.ELU, "sigmoid": nn.Sigmoid, "softplus": nn.Softplus, "linear": nn.Identity,
}


def mlp(input_dim, output_dim, hidden, activation, output_activation="linear", final_scale=1.0):
    """x ↦ W_L σ(… σ(W_1 x + b_1) …) + b_L with nn.Linear's default init; the last layer's
    weight and bias are multiplied by `final_scale` (0: the zero map, pfm's `finalScale`)."""
    widths = [input_dim, *hidden, output_dim]
    layers = []
    for i in range(len(widths) - 1):
        layers.append(nn.Linear(widths[i], widths[i + 1]))
        last = i + 2 == len(widths)
        layers.append(ACTIVATIONS[output_activation if last else activation]())
    if final_scale != 1.0:
        with torch.no_grad():
            layers[-2].weight.mul_(final_scale)
            layers[-2].bias.mul_(final_scale)
    return nn.Sequential(*layers)


class ActNorm(nn.Module):
    """x = z ⊙ exp(a) + b, log|det| = Σ a; initialised on data so that ψ⁻¹(x) has zero mean and
    unit variance: b = mean, a = log(std + ε), population std (Kingma & Dhariwal 2018, §3.1)."""

    def __init__(self, dim, epsilon=1e-6):
        super().__init__()
        self.log_scale = nn.Parameter(torch.zeros(dim))
        self.shift = nn.Parameter(torch.zeros(dim))
        self.epsilon = epsilon

    @torch.no_grad()
    def initialize(self, x):
        self.shift.copy_(x.mean(0))
        self.log_scale.copy_(torch.log(x.var(0, unbiased=False).sqrt() + self.epsilon))

    def forward(self, z):
        return z * torch.exp(self.log_scale) + self.shift, self.log_scale.sum().expand(z.shape[0])

    def inverse(self, x):
        return (x - self.shift) * torch.exp(-self.log_scale), (-self.log_scale.sum()).expand(x.shape[0])


class Permutation(nn.Module):
    """x[:, j] = z[:, order[j]], log|det| = 0 (Dinh et al. 2017 §3.5; Glow's reverse / shuffle)."""

    def __init__(self, order):
        super().__init__()
        self.register_buffer("order", torch.as_tensor(order, dtype=torch.long))
        self.register_buffer("undo", torch.argsort(self.order))

    def forward(self, z):
        return z[:, self.order], z.new_zeros(z.shape[0])

    def inverse(self, x):
        return x[:, self.undo], x.new_zeros(x.shape[0])


class LULinear(nn.Module):
    """x = W z, W = P L U with L unit lower, U upper with diagonal exp(u): log|det W| = Σ u
    (Kingma & Dhariwal 2018 §3.2; Durkan et al. 2019). Starts at W = P."""

    def __init__(self, dim, order):
        super().__init__()
        self.lower = nn.Parameter(torch.zeros(dim, dim))
        self.upper = nn.Parameter(torch.zeros(dim, dim))
        self.log_diag = nn.Parameter(torch.zeros(dim))
        self.register_buffer("mask_lower", torch.tril(torch.ones(dim, dim), -1))
        self.register_buffer("mask_upper", torch.triu(torch.ones(dim, dim), 1))
        self.register_buffer("order", torch.as_tensor(order, dtype=torch.long))
        self.register_buffer("undo", torch.argsort(self.order))

    def factors(self):
        eye = torch.eye(self.log_diag.shape[0])
        lower = eye + self.lower * self.mask_lower
        upper = torch.diag(torch.exp(self.log_diag)) + self.upper * self.mask_upper
        return lower, upper

    def forward(self, z):
        lower, upper = self.factors()
        x = (z @ upper.T @ lower.T)[:, self.order]
        return x, self.log_diag.sum().expand(z.shape[0])

    def inverse(self, x):
        lower, upper = self.factors()
        v = x[:, self.undo].T  # L U zᵀ = v
        w = torch.linalg.solve_triangular(lower, v, upper=False, unitriangular=True)
        z = torch.linalg.solve_triangular(upper, w, upper=True).T
        return z, (-self.log_diag.sum()).expand(x.shape[0])


class Coupling(nn.Module):
    """x_K = z_K, x_T = g(z_T; θ(z_K)): the conditioner θ is an MLP whose last layer starts at
    zero (pfm's finalScale 0), so each coupling starts as the identity (Dinh et al. 2017, §3.4)."""

    def __init__(self, dim, transformed, params_per_coordinate, net):
        super().__init__()
        self.transformed = list(transformed)
        self.kept = [i for i in range(dim) if i not in self.transformed]
        self.register_buffer("kept_index", torch.tensor(self.kept, dtype=torch.long))
        self.register_buffer("trans_index", torch.tensor(self.transformed, dtype=torch.long))
        self.register_buffer("merge_order", torch.argsort(torch.tensor(self.kept + self.transformed)))
        self.m = len(self.transformed)
        self.net = mlp(len(self.kept), self.m * params_per_coordinate, net["hidden"], net["activation"], final_scale=0.0)

    def run(self, v, inverse):
        kept, trans = v[:, self.kept_index], v[:, self.trans_index]
        out, log_det = self.transform(trans, self.net(kept), inverse)
        return torch.cat([kept, out], 1)[:, self.merge_order], log_det

    def forward(self, z):
        return self.run(z, False)

    def inverse(self, x):
        return self.run(x, True)


class AffineCoupling(Coupling):
    """RealNVP: x_T = z_T ⊙ exp(s) + t, (s_raw, t) = θ(z_K), s = c·tanh(s_raw/c), log|det| = Σ s
    (Dinh, Sohl-Dickstein & Bengio 2017, eq. 4–6)."""

    def __init__(self, dim, transformed, net, clamp):
        super().__init__(dim, transformed, 2, net)
        self.clamp = clamp

    def transform(self, v, h, inverse):
        s = self.clamp * torch.tanh(h[:, : self.m] / self.clamp)
        t = h[:, self.m:]
        if inverse:
            return (v - t) * torch.exp(-s), -s.sum(1)
        return v * torch.exp(s) + t, s.sum(1)


class AdditiveCoupling(Coupling):
    """NICE: x_T = z_T + t(z_K), log|det| = 0 (Dinh, Krueger & Bengio 2015, eq. 6)."""

    def __init__(self, dim, transformed, net):
        super().__init__(dim, transformed, 1, net)

    def transform(self, v, h, inverse):
        return (v - h if inverse else v + h), v.new_zeros(v.shape[0])


def spline_knots(raw, min_size, bound):
    """Knots −B = q_0 < … < q_K = B from unnormalised sizes: p = softmax(raw)(1 − K·min) + min."""
    K = raw.shape[-1]
    p = torch.softmax(raw, -1) * (1 - min_size * K) + min_size
    q = F.pad(torch.cumsum(p, -1), (1, 0)) * (2 * bound) - bound
    ends = torch.full_like(q[..., :1], bound)
    return torch.cat([-ends, q[..., 1:K], ends], -1)


def rational_quadratic_spline(v, raw_w, raw_h, raw_d, bound, min_w, min_h, min_d, inverse):
    """Monotone rational-quadratic spline on [−B, B], identity outside (Durkan et al. 2019 §3.1,
    Gregory & Delbourgo 1982). Bin k, ξ = (x − x_k)/w_k, s_k = h_k/w_k:
      y = y_k + h_k [s_k ξ² + δ_k ξ(1−ξ)] / [s_k + (δ_{k+1} + δ_k − 2s_k) ξ(1−ξ)]                (eq. 4)
      dy/dx = s_k² [δ_{k+1} ξ² + 2s_k ξ(1−ξ) + δ_k (1−ξ)²] / [s_k + (δ_{k+1}+δ_k−2s_k) ξ(1−ξ)]²  (eq. 5)
    inverse: the root in [0, 1] of a ξ² + b ξ + c = 0, ξ = 2c / (−b − √(b² − 4ac)) (eq. 6–8).
    Interior derivatives δ = softplus(raw + log(e^{1−δ_min} − 1)) + δ_min (raw 0 gives δ = 1),
    boundary derivatives 1. v `[n, m]`, raw_w/raw_h `[n, m, K]`, raw_d `[n, m, K − 1]`."""
    K = raw_w.shape[-1]
    xs = spline_knots(raw_w, min_w, bound)
    ys = spline_knots(raw_h, min_h, bound)
    inner = F.softplus(raw_d + math.log(math.expm1(1 - min_d))) + min_d
    ones = torch.ones_like(inner[..., :1])
    ds = torch.cat([ones, inner, ones], -1)
    vc = v.clamp(-bound, bound)
    search = ys if inverse else xs
    k = (vc[..., None] >= search[..., 1:K]).sum(-1, keepdim=True)  # the bin of each element

    def pick(t):
        return t.gather(-1, k).squeeze(-1)

    xk, wk = pick(xs[..., :K]), pick(xs[..., 1:] - xs[..., :K])
    yk, hk = pick(ys[..., :K]), pick(ys[..., 1:] - ys[..., :K])
    dk, dk1 = pick(ds[..., :K]), pick(ds[..., 1:])
    sk = hk / wk
    curvature = dk1 + dk - 2 * sk

    def log_slope(xi):
        mid = xi * (1 - xi)
        num = sk ** 2 * (dk1 * xi ** 2 + 2 * sk * mid + dk * (1 - xi) ** 2)
        return torch.log(num) - 2 * torch.log(sk + curvature * mid)

    if not inverse:
        xi = ((vc - xk) / wk).clamp(0, 1)
        mid = xi * (1 - xi)
        inside = yk + hk * (sk * xi ** 2 + dk * mid) / (sk + curvature * mid)
        log_det = log_slope(xi)
    else:
        dy = vc - yk
        a = hk * (sk - dk) + dy * curvature
        b = hk * dk - dy * curvature
        c = -sk * dy
        disc = torch.relu(b ** 2 - 4 * a * c)
        xi = (2 * c / (-b - torch.sqrt(disc))).clamp(0, 1)
        inside = xi * wk + xk
        log_det = -log_slope(xi)
    is_inside = ((v >= -bound) & (v <= bound)).to(v.dtype)
    return is_inside * inside + (1 - is_inside) * v, is_inside * log_det


class SplineCoupling(Coupling):
    """Neural spline flow coupling: x_i = g_i(z_i) for i in T, K widths, K heights and K − 1
    derivatives per coordinate from θ(z_K); log|det| = Σ_T log g_i'(z_i) (Durkan et al. 2019 §3.2)."""

    def __init__(self, dim, transformed, net, o):
        super().__init__(dim, transformed, 3 * int(o["bins"]) - 1, net)
        self.bins = int(o["bins"])
        self.bound, self.min_w, self.min_h, self.min_d = (float(o[k]) for k in ("tailBound", "minBinWidth", "minBinHeight", "minDerivative"))

    def transform(self, v, h, inverse):
        K = self.bins
        h = h.reshape(v.shape[0], self.m, 3 * K - 1)  # per coordinate: [widths K | heights K | derivatives K−1]
        out, log_det = rational_quadratic_spline(v, h[..., :K], h[..., K:2 * K], h[..., 2 * K:], self.bound,
                                                 self.min_w, self.min_h, self.min_d, inverse)
        return out, log_det.sum(1)


class CouplingFlow(nn.Module):
    """ψ = composition of the layers; `layers` are kept in the data → noise order."""

    def __init__(self, dim, layers):
        super().__init__()
        self.dim = dim
        self.layers = nn.ModuleList(layers)

    def to_noise(self, x):
        log_det = x.new_zeros(x.shape[0])
        for layer in self.layers:
            x, ld = layer.inverse(x)
            log_det = log_det + ld
        return x, log_det

    def to_data(self, z):
        for layer in reversed(self.layers):
            z, _ = layer.forward(z)
        return z

    def log_prob(self, x):
        z, log_det = self.to_noise(x)
        return -0.5 * (z ** 2).sum(1) - 0.5 * self.dim * math.log(2 * math.pi) + log_det

    @torch.no_grad()
    def initialize(self, x, max_rows=16_384):
        """pfm's data-dependent initialisation: the training data (above 16,384 rows, the evenly
        strided rows ⌊k·n/16384⌋) is pulled back layer by layer from the data side, each ActNorm
        initialised on what it receives (the couplings start as the identity)."""
        n = x.shape[0]
        if n > max_rows:
            x = x[torch.tensor([k * n // max_rows for k in range(max_rows)])]
        for layer in self.layers:
            if isinstance(layer, ActNorm):
                layer.initialize(x)
            x, _ = layer.inverse(x)


DEQUANTIZATION = {"noise": "none", "noiseScale": 0.01}


def coupling_flow_options(raw, method, dim):
    where = "recipe.options"
    if method == "realnvp":
        defaults = {"blocks": 8, "coupling": "affine", "permutation": None, "actnorm": True, "clamp": 3.0,
                    "mixingOrders": None, **DEQUANTIZATION}
    else:
        defaults = {"blocks": 4, "bins": 8, "tailBound": 4.0, "permutation": "lu", "actnorm": True,
                    "minBinWidth": 1e-3, "minBinHeight": 1e-3, "minDerivative": 1e-3, "mixingOrders": None,
                    **DEQUANTIZATION}
    o = read_fields(raw, defaults, where)
    if o["permutation"] is None:
        # pfm's dimension-dependent default: a swap in 2-D, a fixed random shuffle per block
        # above (with `reverse` and half masks the same coordinates stay together in every block).
        o["permutation"] = "reverse" if dim == 2 else "random"
    choice(o["permutation"], ["reverse", "random", "lu", "none"], f"{where}.permutation")
    choice(o["noise"], ["none", "uniform", "gaussian"], f"{where}.noise")
    if o["mixingOrders"] is not None:
        check_mixing_orders(o["mixingOrders"], dim, o["blocks"], o["permutation"], f"{where}.mixingOrders")
    if method == "realnvp":
        choice(o["coupling"], ["affine", "additive"], f"{where}.coupling")
    elif not (o["bins"] * o["minBinWidth"] < 1 and o["bins"] * o["minBinHeight"] < 1):
        raise RecipeError(f"{where}.bins: bins × minBinWidth and bins × minBinHeight must be < 1")
    return o


def check_mixing_orders(orders, dim, blocks, permutation, where):
    """pfm's mixingOrders: blocks − 1 column orders (data → noise), each a permutation of 0 … d − 1,
    for the mixing layers that hold one (`random`, `lu`)."""
    if permutation not in ("random", "lu"):
        raise RecipeError(f"{where}: needs permutation 'random' or 'lu', got '{permutation}'")
    if not isinstance(orders, list) or len(orders) != blocks - 1:
        raise RecipeError(f"{where}: expected blocks − 1 = {blocks - 1} orders")
    for b, order in enumerate(orders):
        if not isinstance(order, list) or sorted(order) != list(range(dim)):
            raise RecipeError(f"{where}[{b}]: expected a permutation of 0 … {dim - 1}, got {order}")


def build_coupling_flow(method, o, net, dim, seed):
    """The blocks of pfm's couplingFlowSpecs: ActNorm, coupling, then (between blocks) a reverse /
    random permutation or an LU linear layer; with `none`, masks alternate odd / even instead.
    Random orders come from a NumPy stream of the run seed (pfm's own cannot be reproduced)."""
    half = dim // 2
    layers = []
    for block in range(o["blocks"]):
        if o["actnorm"]:
            layers.append(ActNorm(dim))
        if o["permutation"] == "none":
            parity = 1 if block % 2 == 0 else 0  # pfm: 'odd' on even blocks, 'even' on odd ones
            transformed = [i for i in range(dim) if i % 2 == parity]
        else:
            transformed = list(range(half, dim))  # pfm's 'upper' mask
        if method == "nsf":
            layers.append(SplineCoupling(dim, transformed, net, o))
        elif o["coupling"] == "affine":
            layers.append(AffineCoupling(dim, transformed, net, float(o["clamp"])))
        else:
            layers.append(AdditiveCoupling(dim, transformed, net))
        if block + 1 < o["blocks"] and o["permutation"] != "none":
            shuffle = np.random.default_rng([seed, 1, block]).permutation(dim)
            if o.get("mixingOrders") is not None:
                shuffle = np.array(o["mixingOrders"][block])
            if o["permutation"] == "lu":
                layers.append(LULinear(dim, shuffle))
            elif o["permutation"] == "random":
                layers.append(Permutation(shuffle))
            else:
                layers.append(Permutation(list(range(dim - 1, -1, -1))))
    return CouplingFlow(dim, layers)
