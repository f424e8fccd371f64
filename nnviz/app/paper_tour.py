"""The built-in tour "The paper in one talk": its steps, written as code, and the JSON file it ships as.

The app loads the shipped file ``paper_tour.json`` through the same validator
as any imported tour (:func:`nnviz.app.tours.loads`); this module is where the
talk is written and reviewed. After editing it, regenerate the file::

    python -m nnviz.app.paper_tour

(a test checks that the file is what :func:`build` makes). No streamlit here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nnviz import presets
from nnviz.app import animation
from nnviz.app.scenes import Scene
from nnviz.app.tours import Step, Tour, dumps

NAME = "The paper in one talk"
PATH = Path(__file__).with_name("paper_tour.json")
#: A seeded training run (the Training page's own defaults for its default data, nnviz.app.advice.DEFAULTS: best
#: loss 0.0018, a fit that follows sin(2x); it trains in a fraction of a second and always gives the same fit);
#: steps 7 to 9 share it, so arriving at 8 shows the finished run instead of training it again (nnviz.ui.tour_run).
#: Key elements (nnviz.app.tours.Step.key): the network's picture, the equation panels of the two passes.
GRAPH, FWD_EQUATION, BWD_EQUATION = "graph", "tourkey_fwd_equation", "tourkey_bwd_equation"
#: Step 6 takes one SGD step of this size on arrival; its key element is the table of every weight before and after.
SGD_STEP, SGD_TABLE = 0.3, "tourkey_sgd_table"
TRAIN = {"step": 0.05, "epochs": 500, "restarts": 100, "seed": 0, "scale": 2.0, "order": "listed"}


def _scene(name: str, page: str, step: int = 0, **settings: Any) -> Scene:
    return Scene(name=name, network=presets.paper_network(), page=page, step=step, present=True, settings=settings)


def _why(tab: str) -> dict[str, str]:
    return {"why_tab": tab}


def _why_step(tab: str, name: str, title: str, notes: str, key: str) -> Step:
    """A step on one tab of the "Why it works" page, with the tab row brought to the top."""
    return Step(_scene(name, "why", **_why(tab)), title, notes, show=tab, key=key)


def build() -> Tour:
    """The tour, step by step (titles, notes and cues follow the paper's order)."""
    net = presets.paper_network()
    fwd_last = len(animation.forward_frames(net)) - 1
    bwd_last = len(animation.backward_frames(net)) - 1
    steps = [
        Step(_scene("network", "network", net_show_weights=True), "A network and its words",
             "Figures 1-5: neurons 1..9. Input 1, bias neurons 2, 5, 8 (they always send 1), hidden 3, 4, 6, 7, "
             "output 9. Every parameter is an edge weight w_i,j and belongs to the edge's target: twelve weights. "
             "Layers {1,2}, {3,4,5}, {6,7,8}, {9}. Note that 3 feeds 6 only, while 4 feeds 6 and 7.", key=GRAPH),
        Step(_scene("forward", "forward", 0), "A forward pass, layer by layer",
             "Press the clicker to walk the pass one layer at a time: each neuron sums its weighted inputs "
             "(a_k) and applies its own function (z_k = sigma_k(a_k)). Grey is not reached yet; red is this step.",
             frame=fwd_last, key=GRAPH),
        Step(_scene("forward eq", "forward", fwd_last, fwd_neuron="6"), "Figure 4: one neuron's equation",
             "Neuron 6 as the paper writes it: a_6 = w_3,6 z_3 + w_4,6 z_4 + w_5,6 z_5, then z_6 = sigma_6(a_6), "
             "with this input's numbers in place.", select="6", show="One neuron, as the paper writes it",
             key=FWD_EQUATION),
        Step(_scene("backward", "backprop", 0), "Backpropagation, layer by layer",
             "The loss of one point, l = (y - z_9)^2, and its derivative dl/dz_9 = -2 (y - z_9): the paper "
             "prints 2 z_9, a slip. Walk the gradients backwards, one layer per click.", frame=bwd_last, key=GRAPH),
        Step(_scene("chain rule", "backprop", bwd_last, bwd_neuron="4"), "The chain rule at neuron 4",
             "Neuron 4 feeds both 6 and 7, so dl/dz_4 sums over both paths (Figure 7): "
             "dl/dz_4 = dl/da_6 w_4,6 + dl/da_7 w_4,7. Then dl/da_4 = dl/dz_4 sigma_4'(a_4) and "
             "dl/dw_i,4 = dl/da_4 z_i.", select="4", show="The chain rule at one neuron", key=BWD_EQUATION),
        Step(_scene("sgd", "backprop", bwd_last), "One step of gradient descent",
             "Arriving takes one SGD step (step size 0.3): every weight moves against its gradient by the step "
             "size; the table shows each weight before and after, and the loss on this point falls. A huge step "
             "size overshoots; Undo (beside the graph) brings the old weights back.",
             show="One SGD step", key=SGD_TABLE, sgd=SGD_STEP),
        Step(_scene("training", "training"), "Training from many restarts",
             "SGD on every point, epoch after epoch, from 100 random starting weights (seed 0, so the same "
             "result every time): the best restart follows sin(2x). The loss is not convex: restarts end in "
             "different minima; keep the best.",
             train=TRAIN, show="2. Stochastic gradient descent from many restarts", key="train_best_fit"),
        Step(_scene("landscape", "training", train_landscape_open=True), "The loss landscape",
             "The same seeded run, then the loss along a line and over a plane through the weights: many valleys, "
             "which is why restarts help.", train=TRAIN, show="3. The loss landscape", key="landscape_chart"),
        Step(_scene("brute force", "training"), "Brute force against backprop",
             "Try every combination of a few values per weight: the grid grows as k^12. Backprop with restarts "
             "finds a better fit in a tiny fraction of the evaluations.",
             show="4. Brute force against backprop", key="train_bf_go"),
        _why_step("1 · Networks as functions", "functions", "Networks are functions",
             "A layered network is sigma o A_k o ... o sigma o A_2: affine maps with a bias column, then the "
             "layer's functions. The check applies them in turn and agrees with the network.", "why_fn_agree"),
        _why_step("3 · Boolean functions", "xor", "XOR from its truth table",
             "Any boolean function: one hidden neuron per true row, a step function, and an OR at the output. "
             "XOR needs two hidden neurons; the table below is checked on every row.", GRAPH),
        _why_step("2 · Linear collapse", "collapse", "Without non-linearity, depth collapses",
             "With identity functions every layer is an affine map, and a product of affine maps is one affine map: "
             "a deep linear network is a single layer.", "why_collapse_fig"),
        _why_step("4 · Approximation by width", "width", "Approximation by width",
             "One hidden layer approximates a continuous function better as it gets wider: the error falls "
             "with the number of hidden neurons.", "why_fits"),
        _why_step("5 · Counting", "counting", "Counting, with the paper's slips corrected",
             "2^320000 is about 10^96330 (the paper says 10^10000); 100^1000 is 10^2000 (the paper says 10^10000, "
             "and calls weights neurons). The gap is wider than the paper's: no network tells every image apart; "
             "it works because the images we care about are simply generated.", "tourkey_claims"),
    ]  # fmt: skip
    return Tour(NAME, tuple(steps))


def text() -> str:
    """The shipped file's text: :func:`build` as ``nnviz.tours/1`` JSON."""
    return dumps([build()], indent=1) + "\n"


if __name__ == "__main__":
    PATH.write_text(text(), encoding="utf-8")
    print(f"wrote {PATH} ({len(build().steps)} steps)")
