"""The Training page's playground: TF Playground's 2-D data, a network, and training one epoch at a time (no Streamlit).

A :class:`Playground` holds what the page shows while it trains: the data set
(:func:`nnviz.data.playground`), the input features (:mod:`nnviz.features`),
the network's structure, the weights of R restarts ``(R, E)``, the epoch,
and each restart's training and test loss after every epoch. :func:`advance`
trains a few epochs of all restarts at once (the engine's mini-batch SGD with
L2) and appends to the loss histories; :func:`metrics` gives the headline
numbers of one restart (epoch, training loss, test loss and, for ±1 labels,
test accuracy). Losses are the paper's mean of (y - f(x))² over the points
(TF Playground shows half of it).

    >>> pg = build(Config(data="circle", hidden=(2,)))
    >>> pg = advance(pg, 2)
    >>> metrics(pg, 0).epoch
    2
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from nnviz import presets
from nnviz.data import PLAYGROUND_CLASSIFICATION, PLAYGROUND_SETS, Dataset, playground
from nnviz.engine import forward, loss
from nnviz.errors import NetworkError
from nnviz.features import FEATURES, check_features, expand
from nnviz.network import Network
from nnviz.training import initial_weights, train

#: TF Playground's starting network: two hidden layers of 4 and 2 tanh neurons.
DEFAULT_HIDDEN = (4, 2)
MAX_HIDDEN_LAYERS = 6
MAX_HIDDEN_WIDTH = 8  # as TF Playground: beyond that the pictures crowd the graph
MAX_RESTARTS = 100
HISTORY_MAX = 2_000  # epochs kept in the loss curves (older ones are thinned)


@dataclass(frozen=True)
class Config:
    """Every knob of the playground; :func:`check` refuses a value out of range with a ``NetworkError``."""

    data: str = "circle"
    noise: float = 0.0
    test_fraction: float = 0.5
    seed: int = 0
    features: tuple[str, ...] = ("x1", "x2")
    hidden: tuple[int, ...] = DEFAULT_HIDDEN
    activation: str = "tanh"
    step_size: float = 0.03
    batch_size: int = 10
    l2: float = 0.0
    restarts: int = 1


def check(cfg: Config) -> Config:
    """``cfg`` with its features canonical; ``NetworkError`` naming the first knob out of range."""
    if cfg.data not in PLAYGROUND_SETS:
        raise NetworkError(f"data set {cfg.data!r:.40} is not one of {', '.join(PLAYGROUND_SETS)}")
    hidden = tuple(cfg.hidden)
    if len(hidden) > MAX_HIDDEN_LAYERS or any(not 1 <= int(h) <= MAX_HIDDEN_WIDTH for h in hidden):
        raise NetworkError(
            f"hidden layers {list(hidden)}: up to {MAX_HIDDEN_LAYERS} layers of 1 to {MAX_HIDDEN_WIDTH} neurons"
        )
    if not 1 <= int(cfg.restarts) <= MAX_RESTARTS:
        raise NetworkError(f"restarts must be from 1 to {MAX_RESTARTS}, not {cfg.restarts}")
    if not (np.isfinite(cfg.step_size) and 0 < cfg.step_size <= 10):
        raise NetworkError(f"the step size must be above 0 and at most 10, not {cfg.step_size:g}")
    return replace(cfg, features=check_features(cfg.features), hidden=tuple(int(h) for h in hidden))


def parse_hidden(text: object) -> tuple[int, ...]:
    """Hidden layer sizes typed as ``"4, 2"`` (empty: no hidden layer); ``NetworkError`` naming the bad entry."""
    if not isinstance(text, str) or len(text) > 60:
        raise NetworkError('type the hidden layer sizes separated by commas, e.g. "4, 2"')
    parts = [p.strip() for p in text.replace(";", ",").split(",")] if text.strip() else []
    for k, part in enumerate(parts):
        if not (part.isascii() and part.isdecimal() and 1 <= int(part) <= MAX_HIDDEN_WIDTH):
            raise NetworkError(
                f"hidden layer {k + 1}: {part[:20]!r} is not a whole number from 1 to {MAX_HIDDEN_WIDTH}"
            )
    if len(parts) > MAX_HIDDEN_LAYERS:
        raise NetworkError(f"{len(parts)} hidden layers is more than the playground's {MAX_HIDDEN_LAYERS}")
    return tuple(int(p) for p in parts)


@dataclass
class Playground:
    """The playground's state: the data, the network's structure, R weight vectors and the loss histories."""

    cfg: Config
    data: Dataset
    net: Network  # the structure (its weights are restart 0's starting weights)
    weights: np.ndarray  # (R, E)
    epoch: int = 0
    train_loss: list[np.ndarray] = field(default_factory=list)  # one (R,) per epoch, epoch 0 first
    test_loss: list[np.ndarray] = field(default_factory=list)  # one (R,) per epoch (empty arrays without test)
    rng: np.random.Generator = field(default_factory=lambda: np.random.default_rng(0))

    @property
    def classification(self) -> bool:
        """Whether the labels are ±1 (test accuracy is shown)."""
        return self.cfg.data in PLAYGROUND_CLASSIFICATION

    @property
    def diverged(self) -> np.ndarray:
        """``(R,)``: restarts whose weights or training loss are no longer finite."""
        return ~np.isfinite(self.train_loss[-1]) | ~np.isfinite(self.weights).all(axis=1)


def _seed(cfg: Config, draw: int) -> int:
    """The weights' seed of ``cfg`` at its ``draw``-th Reset (0 before any)."""
    return int(np.random.SeedSequence([cfg.seed, draw]).generate_state(1)[0])


def network_for(cfg: Config, draw: int = 0) -> Network:
    """The playground's own network: one input per feature, ``cfg.hidden`` layers, one output.

    The output is tanh for ±1 labels (as TF Playground), the identity for regression; the weights are
    drawn from ``cfg.seed`` and ``draw`` (each Reset draws anew).
    """
    out = "tanh" if cfg.data in PLAYGROUND_CLASSIFICATION else "identity"
    return presets.layered([len(cfg.features), *cfg.hidden, 1], cfg.activation, out, seed=_seed(cfg, draw))


def fits(net: Network, cfg: Config) -> str | None:
    """Why ``net`` cannot be trained on the playground with ``cfg``'s features (None when it can)."""
    if len(net.inputs) != len(cfg.features):
        return f"it has {len(net.inputs)} input(s) and {len(cfg.features)} feature(s) are on"
    if len(net.outputs) != 1:
        return f"it has {len(net.outputs)} outputs; the playground's data have one"
    return None


def build(cfg: Config, net: Network | None = None, draw: int = 0) -> Playground:
    """A fresh playground at epoch 0: ``net`` (default :func:`network_for`), R restarts from ``cfg.seed``.

    Restart 0 starts from ``net``'s own weights; the others from normal weights (standard deviation 1),
    drawn anew for each ``draw`` (the number of Resets so far).
    """
    cfg = check(cfg)
    data = playground(cfg.data, noise=cfg.noise, seed=cfg.seed, test_fraction=cfg.test_fraction)
    net = network_for(cfg, draw) if net is None else net
    problem = fits(net, cfg)
    if problem is not None:
        raise NetworkError(f"the network does not fit the playground: {problem}")
    w = np.array(net.weights, dtype=float)[None, :]  # (1, E), writable
    if cfg.restarts > 1:
        w = np.vstack([w, initial_weights(net, cfg.restarts - 1, _seed(cfg, draw) % 2**31 + 1)])  # (R, E)
    pg = Playground(cfg, data, net, w, rng=np.random.default_rng(cfg.seed))
    _record(pg)
    return pg


def inputs(pg: Playground, X: np.ndarray) -> np.ndarray:
    """The network's inputs ``(n, k)`` for points ``X`` ``(n, 2)``: their features."""
    return expand(X, pg.cfg.features)


def _mean_losses(pg: Playground, X: np.ndarray | None, Y: np.ndarray | None) -> np.ndarray:
    """``(R,)`` mean loss of every restart over the points (empty when there are none)."""
    if X is None or len(X) == 0:
        return np.empty(0)
    with np.errstate(all="ignore"):
        return loss(pg.net, inputs(pg, X), Y, pg.weights).mean(axis=1)  # (R,)


def _record(pg: Playground) -> None:
    pg.train_loss.append(_mean_losses(pg, pg.data.X, pg.data.Y))
    pg.test_loss.append(_mean_losses(pg, pg.data.X_test, pg.data.Y_test))
    if len(pg.train_loss) > HISTORY_MAX:  # thin the older half: the curve keeps its shape
        half = len(pg.train_loss) // 2
        pg.train_loss[:half] = pg.train_loss[:half:2]
        pg.test_loss[:half] = pg.test_loss[:half:2]


def advance(pg: Playground, epochs: int = 1) -> Playground:
    """Train every restart ``epochs`` more epochs (shuffled, mini-batches, L2); the same object, updated."""
    cfg = pg.cfg
    alive = ~pg.diverged
    if not alive.any():
        return pg
    x = inputs(pg, pg.data.X)  # (S, k)
    for _ in range(epochs):
        res = train(pg.net, x, pg.data.Y, pg.weights[alive], cfg.step_size, 1, pg.rng,
                    batch_size=cfg.batch_size, l2=cfg.l2)  # fmt: skip
        pg.weights[alive] = res.weights
        pg.epoch += 1
        _record(pg)
    return pg


@dataclass(frozen=True)
class Metrics:
    """One restart's headline numbers; ``test_loss``/``accuracy`` are None without test points or ±1 labels."""

    epoch: int
    train_loss: float
    test_loss: float | None
    accuracy: float | None


def accuracy(net: Network, X: np.ndarray, Y: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """``(R,)``: the share of points whose label ±1 has the sign of f(x), for each weight vector ``(R, E)``.

    f(x) = 0 counts as +1 (TF Playground's rule).
    """
    with np.errstate(all="ignore"):
        out = forward(net, X, weights).output[..., 0]  # (R, n)
    guess = np.where(out >= 0, 1.0, -1.0)
    return (guess == np.asarray(Y, dtype=float)[:, 0][None, :]).mean(axis=1)


def metrics(pg: Playground, r: int) -> Metrics:
    """The headline numbers of restart ``r``: epoch, training loss, test loss and test accuracy."""
    has_test = pg.data.X_test is not None and len(pg.data.X_test) > 0
    test = float(pg.test_loss[-1][r]) if has_test else None
    acc = None
    if has_test and pg.classification:
        acc = float(accuracy(pg.net, inputs(pg, pg.data.X_test), pg.data.Y_test, pg.weights[r : r + 1])[0])
    return Metrics(pg.epoch, float(pg.train_loss[-1][r]), test, acc)


def best(pg: Playground) -> int:
    """The restart with the lowest training loss now (diverged ones last)."""
    return int(np.argmin(np.where(pg.diverged, np.inf, pg.train_loss[-1])))


def curves(pg: Playground, r: int, points: int | None = None) -> dict[str, list[float]]:
    """Restart ``r``'s loss curves: training and (when there are test points) test loss per recorded epoch.

    With ``points``, at most that many recorded epochs, evenly spread from the first to the last (a picture).
    """
    n = len(pg.train_loss)
    keep = range(n) if points is None or n <= points else np.unique(np.linspace(0, n - 1, points).astype(int))
    out = {"training loss": [float(pg.train_loss[k][r]) for k in keep]}
    if pg.test_loss[-1].size:
        out["test loss"] = [float(pg.test_loss[k][r]) for k in keep]
    return out


def watched(pg: Playground, r: int) -> Network:
    """The network with restart ``r``'s current weights."""
    return pg.net.with_weights(pg.weights[r])


def output_grid(pg: Playground, r: int, n: int = 48, span: float = 6.0) -> np.ndarray:
    """f over the (x1, x2) plane, ``(n, n)``, rows from x2 = ``span`` (top) down to ``-span``."""
    g = np.linspace(-span, span, n)
    x1, x2 = np.meshgrid(g, g[::-1])  # (n, n)
    pts = np.column_stack([x1.ravel(), x2.ravel()])  # (n*n, 2)
    with np.errstate(all="ignore"):
        return forward(pg.net, inputs(pg, pts), pg.weights[r]).output[:, 0].reshape(n, n)


__all__ = ["FEATURES", "Config", "Metrics", "Playground", "accuracy", "advance", "best", "build", "check"]
