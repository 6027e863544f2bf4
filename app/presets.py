"""PRESETS: the worked examples of the seed notes, each a state of the page a teacher can open in one click."""

from dataclasses import dataclass

from .query import GraphQuery


@dataclass(frozen=True)
class Preset:
    """A named worked example: the lesson it teaches and the query that shows it."""

    slug: str
    title: str
    lesson: str
    query: GraphQuery


PRESETS = (
    Preset("cs231n-add-mul", "f = (x + y) z", "CS231n: upstream × local = downstream; grads -4, -4, 3",
           GraphQuery("(x + y)*z", {"x": "-2", "y": "5", "z": "-4"})),
    Preset("cs231n-neuron", "Sigmoid neuron", "CS231n: sigmoid as one gate, local gradient (1 - σ)σ",
           GraphQuery("sigmoid(w0*x0 + w1*x1 + w2)", {"w0": "2", "x0": "-1", "w1": "-3", "x1": "-2", "w2": "-3"})),
    Preset("cs231n-neuron-written-out", "Sigmoid neuron, written out", "CS231n: the same neuron gate by gate: ×-1, exp, +1, 1/x",
           GraphQuery("1/(1 + exp(-(w0*x0 + w1*x1 + w2)))", {"w0": "2", "x0": "-1", "w1": "-3", "x1": "-2", "w2": "-3"})),
    Preset("apple", "Apples with tax", "Deep Learning from Scratch: 100 × 2 × 1.1 = 220; d_apple 2.2, d_tax 200",
           GraphQuery("apple*apple_num*tax", {"apple": "100", "apple_num": "2", "tax": "1.1"})),
    Preset("apple-orange", "Apples and oranges", "Deep Learning from Scratch: 715; d_orange 3.3, d_tax 650 (exact)",
           GraphQuery("(apple*apple_num + orange*orange_num)*tax",
                      {"apple": "100", "apple_num": "2", "orange": "150", "orange_num": "3", "tax": "1.1"}, exact=True)),
    Preset("gates", "Add, mul and max gates", "CS231n: add distributes, mul swaps, max routes",
           GraphQuery("2*(x*y + max(z, w))", {"x": "3", "y": "-4", "z": "2", "w": "-1"})),
    Preset("max-routes", "max routes", "The larger input takes the whole gradient; the other gets 0",
           GraphQuery("max(x, y)*2", {"x": "4", "y": "2"})),
    Preset("fan-out", "x·x: fan-out adds", "A variable used twice gets both shares: 3 + 3 = 6",
           GraphQuery("x*x", {"x": "3"})),
    Preset("relu", "ReLU blocks", "ReLU passes the gradient where x > 0 and blocks it where x < 0",
           GraphQuery("relu(x)", {"x": "-2"})),
)
DEFAULT = PRESETS[0]
