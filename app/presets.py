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
           GraphQuery("q = x + y; f = q*z", {"x": "-2", "y": "5", "z": "-4"})),
    Preset("cs231n-neuron", "Sigmoid neuron", "CS231n: sigmoid as one gate, local gradient (1 - σ)σ",
           GraphQuery("sigmoid(w0*x0 + w1*x1 + w2)", {"w0": "2", "x0": "-1", "w1": "-3", "x1": "-2", "w2": "-3"})),
    Preset("cs231n-neuron-written-out", "Sigmoid neuron, written out", "CS231n: the same neuron gate by gate: ×-1, exp, +1, 1/x",
           GraphQuery("1/(1 + exp(-(w0*x0 + w1*x1 + w2)))", {"w0": "2", "x0": "-1", "w1": "-3", "x1": "-2", "w2": "-3"})),
    Preset("apple", "Apples with tax", "Deep Learning from Scratch: 100 × 2 × 1.1 = 220; d_apple 2.2, d_tax 200",
           GraphQuery("apple_price = apple*apple_num; price = apple_price*tax",
                      {"apple": "100", "apple_num": "2", "tax": "1.1"})),
    Preset("apple-orange", "Apples and oranges", "Deep Learning from Scratch: 715; d_orange 3.3, d_tax 650 (exact)",
           GraphQuery("apple_price = apple*apple_num; orange_price = orange*orange_num; "
                      "all_price = apple_price + orange_price; price = all_price*tax",
                      {"apple": "100", "apple_num": "2", "orange": "150", "orange_num": "3", "tax": "1.1"}, exact=True)),
    Preset("gates", "Add, mul and max gates", "CS231n: add distributes, mul swaps, max routes",
           GraphQuery("2*(x*y + max(z, w))", {"x": "3", "y": "-4", "z": "2", "w": "-1"})),
    Preset("max-routes", "max routes", "The larger input takes the whole gradient; the other gets 0",
           GraphQuery("max(x, y)*2", {"x": "4", "y": "2"})),
    Preset("fan-out", "x·x: fan-out adds", "A variable used twice gets both shares: 3 + 3 = 6",
           GraphQuery("x*x", {"x": "3"})),
    Preset("relu", "ReLU blocks", "ReLU passes the gradient where x > 0 and blocks it where x < 0",
           GraphQuery("relu(x)", {"x": "-2"})),
    # Vectors and matrices: the seeds' array examples with their numbers.
    Preset("relu-vector", "ReLU on a vector, upstream given", "CS231n: upstream [4,-1,5,9] through ReLU at "
           "[1,-2,3,-1] gives [4,0,5,0]",
           GraphQuery("relu(x)", {"x": "[1,-2,3,-1]"}, upstream="[4,-1,5,9]")),
    Preset("relu-vector-written-out", "ReLU on a vector, sum(g·relu(x))", "CS231n: the same upstream written "
           "out as g; dL/dx = [4,0,5,0]",
           GraphQuery("sum(g*relu(x))", {"g": "[4,-1,5,9]", "x": "[1,-2,3,-1]"})),
    Preset("d2l-2xTx", "y = 2xᵀx", "Dive into Deep Learning 2.5: grad 4x = [0,4,8,12] at x = [0,1,2,3]",
           GraphQuery("2*dot(x, x)", {"x": "[0,1,2,3]"})),
    Preset("cs231n-wx", "f = ‖Wx‖²", "CS231n: q = Wx; dW = 2q xᵀ = [[0.088,0.176],[0.104,0.208]], "
           "dx = 2Wᵀq = [-0.112,0.636]",
           GraphQuery("q = W @ x; f = sqnorm(q)", {"W": "[[0.1,0.5],[-0.3,0.8]]", "x": "[0.2,0.4]"})),
    Preset("d2l-detach", "detach: z = u·x, u = detach(x·x)", "Dive into Deep Learning 2.5: dz/dx = u = "
           "[0,1,4,9], not 3x²",
           GraphQuery("sum(detach(x*x)*x)", {"x": "[0,1,2,3]"})),
    Preset("two-layer-net", "2-layer net, MSE + weight decay", "s = W2 relu(W1 x), loss MSE + λ(‖W1‖² + ‖W2‖²); "
           "the third hidden unit is blocked by ReLU",
           GraphQuery("mse(W2 @ relu(W1 @ x), y) + lam*(sqnorm(W1) + sqnorm(W2))",
                      {"W2": "[[0.7,0.4,0.3]]", "W1": "[[0.5,-0.1],[0.2,0.8],[-0.6,0.1]]", "x": "[1,2]",
                       "y": "[1]", "lam": "0.01"})),
    Preset("sigmoid-net", "Two sigmoid layers, MSE", "Backpropagation: Equations: h1 = σ(x W1 + b1), "
           "h2 = σ(h1 W2 + b2), y = h2 W3 + b3, squared error",
           GraphQuery("mse(sigmoid(sigmoid(x @ W1 + b1) @ W2 + b2) @ W3 + b3, t)",
                      {"x": "[[0.5,-1]]", "W1": "[[0.2,-0.4,0.6],[0.5,0.3,-0.2]]", "b1": "[0.1,0,-0.1]",
                       "W2": "[[0.3,-0.5],[0.8,0.2],[-0.6,0.4]]", "b2": "[0,0.1]", "W3": "[[1.2],[-0.7]]",
                       "b3": "[0.05]", "t": "[[1]]"})),
)
DEFAULT = PRESETS[0]
