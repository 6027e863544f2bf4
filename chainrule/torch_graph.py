"""from_torch: the graph behind a PyTorch result's autograd graph, as a chainrule Graph.

The walk reads grad_fn, next_functions, the leaves (AccumulateGrad.variable) and what each op saved
(_saved_self, _saved_other, _saved_exponent, _saved_result); it records the computation in a Program
(chainrule/program.py) and the engine computes every number. torch is imported only when from_torch is called.
"""
from __future__ import annotations

import numpy as np

from chainrule.engine.errors import ChainruleError
from chainrule.engine.ops import OPS

from .importers import by_identity, to_graph
from .notebook import Graph
from .program import Program

# grad_fn class -> the engine's op; each operand is a tensor with a graph, a leaf, or a number torch saved
TORCH_OPS = {"AddBackward0": "add", "SubBackward0": "sub", "MulBackward0": "mul", "DivBackward0": "div",
             "NegBackward0": "neg", "PowBackward0": "pow", "PowBackward1": "pow", "PowBackward2": "pow",
             "RsubBackward1": "sub", "ReciprocalBackward0": "div", "ExpBackward0": "exp", "LogBackward0": "log",
             "TanhBackward0": "tanh", "SigmoidBackward0": "sigmoid", "ReluBackward0": "relu", "SinBackward0": "sin",
             "CosBackward0": "cos", "TanBackward0": "tan", "SqrtBackward0": "sqrt", "AbsBackward0": "abs",
             "MaximumBackward0": "max", "MinimumBackward0": "min", "SumBackward0": "sum",
             "MeanBackward0": "mean", "DotBackward0": "dot", "SoftmaxBackward0": "softmax", "MseLossBackward0": "mse",
             "BinaryCrossEntropyBackward0": "bce", "MmBackward0": "matmul", "MvBackward0": "matmul",
             "TBackward0": "transpose", "PermuteBackward0": "transpose", "TransposeBackward0": "transpose"}
MEAN = 1   # torch's code for reduction="mean", the engine's mse and bce
# where torch keeps an operand's value, by operand
SAVED = {"MulBackward0": ("_saved_self", "_saved_other"), "DivBackward0": ("_saved_self", "_saved_other"),
         "MaximumBackward0": ("_saved_self", "_saved_other"), "MinimumBackward0": ("_saved_self", "_saved_other"),
         "PowBackward0": ("_saved_self",), "PowBackward1": ("_saved_self", "_saved_exponent"),
         "LogBackward0": ("_saved_self",), "SinBackward0": ("_saved_self",), "CosBackward0": ("_saved_self",),
         "AbsBackward0": ("_saved_self",), "DotBackward0": ("_saved_self", "_saved_tensor"),
         "MseLossBackward0": ("_saved_self", "_saved_target"),
         "BinaryCrossEntropyBackward0": ("_saved_self", "_saved_target"),
         "MmBackward0": ("_saved_self", "_saved_mat2"), "MvBackward0": ("_saved_self", "_saved_vec")}
WHAT = {"BmmBackward0": "batched matrix product", "AddmmBackward0": "a linear layer on a batch",
        "SumBackward1": "a sum over a dimension", "MeanBackward1": "a mean over a dimension",
        "ExpandBackward0": "expand", "ViewBackward0": "view", "ReshapeAliasBackward0": "reshape",
        "SelectBackward0": "indexing", "IndexBackward0": "indexing", "CatBackward0": "cat", "StackBackward0": "stack",
        "ToCopyBackward0": "a change of dtype or device", "CloneBackward0": "clone", "UnsqueezeBackward0": "unsqueeze",
        "SqueezeBackward0": "squeeze", "SoftmaxBackward0": "softmax", "LogSoftmaxBackward0": "log-softmax"}


def from_torch(tensor, names: dict | None = None, **options) -> Graph:
    """Returns the Graph behind `tensor`'s autograd graph (grad_fn, next_functions, its leaves).

    Leaves are named by `names` (name -> tensor, e.g. names={"x": x, "w": w}; intermediates may be named too),
    else a, b, c, ... in the order the expression reads. A tensor without requires_grad that an op saved (data
    such as inputs, a loss's target) is a variable too; a number (the 2 of x*2) a constant. Shows add, sub, mul,
    div, neg, pow, exp, log, tanh, sigmoid, relu, sin, cos, tan, sqrt, abs, maximum, minimum, sum, mean, dot,
    matrix products (@, mm, mv) and transposes (.T), softmax of a vector, mse_loss and binary_cross_entropy (mean);
    anything else is refused by its name.
    """
    try:
        import torch
    except ModuleNotFoundError:
        raise ModuleNotFoundError("from_torch reads a PyTorch tensor, and PyTorch is not installed: pip install torch",
                                  name="torch") from None
    if not isinstance(tensor, torch.Tensor):
        raise ChainruleError(f"from_torch takes a torch tensor, not a {type(tensor).__name__}")
    given = by_identity(names, lambda t: isinstance(t, torch.Tensor), "torch tensor")
    # an intermediate is named by its grad_fn, the node the walk meets; held, so that its id stays its own
    named_fns = {name: t.grad_fn for name, t in (names or {}).items() if t.grad_fn is not None}
    given.update({id(fn): name for name, fn in named_fns.items()})
    if tensor.grad_fn is None:
        raise ChainruleError("this tensor has no autograd graph: compute it from tensors made with "
                             "requires_grad=True, e.g. x = torch.tensor(2.0, requires_grad=True)")
    walk = _TorchWalk(torch, given)
    walk.keep.extend(named_fns.values())
    return walk.graph(tensor, options)


class _TorchWalk:
    def __init__(self, torch, given: dict[int, str]):
        self.torch, self.given = torch, given
        self.program = Program()
        self.index: dict = {}      # grad_fn or leaf tensor (by id) -> program node
        self.value: dict = {}      # id -> torch's value of that node, recomputed in its dtype
        self.known: dict = {}      # id(grad_fn) -> its output's value, where torch saved it (or the root)
        self.keep: list = []       # what the ids refer to, alive until the walk ends

    def graph(self, tensor, options: dict) -> Graph:
        root = tensor.grad_fn
        self.known[id(root)] = (tensor.detach(), None)
        order, uses = self._walk(root)
        for fn in order:
            self._record(fn, uses)
        return to_graph(self.program, self.index[id(root)], options)

    def _walk(self, root):
        """Returns every grad_fn under `root`, children first, and how often each node is an operand."""
        order, uses, seen, stack = [], {}, set(), [(root, False)]
        while stack:
            fn, done = stack.pop()
            if done:
                order.append(fn)
                continue
            if id(fn) in seen:
                continue
            seen.add(id(fn))
            self.keep.append(fn)
            name = type(fn).__name__
            if name not in TORCH_OPS:
                what = f" ({WHAT[name]})" if name in WHAT else ""
                raise ChainruleError(f"from_torch cannot show {name}{what} yet; it shows "
                                     f"{', '.join(sorted(set(TORCH_OPS.values())))} of scalars and vectors")
            if getattr(fn, "_saved_reduction", MEAN) != MEAN or getattr(fn, "_saved_weight", None) is not None:
                raise ChainruleError(f"from_torch shows {name} with reduction='mean' and no weight only, as the "
                                     "engine's mse and bce are: write the sum as n times the mean")
            if name == "SoftmaxBackward0" and fn._saved_result.dim() != 1:
                raise ChainruleError("from_torch shows the softmax of a vector only, not along one dimension of a "
                                     f"{fn._saved_result.dim()}-dimensional tensor")
            if name in ("PermuteBackward0", "TransposeBackward0") and _swapped_dims(fn) not in ((1, 0), (0, 1)):
                raise ChainruleError(f"from_torch shows {name} of a matrix only (x.T, x.t(), x.transpose(0, 1))")
            if getattr(fn, "_saved_alpha", 1) != 1:
                raise ChainruleError(f"from_torch cannot show {name} with alpha={fn._saved_alpha} yet: write "
                                     "x + alpha*y as x + 2*y")
            stack.append((fn, True))
            for k, (child, output_nr) in reversed(list(enumerate(fn.next_functions))):   # reading order
                if child is None:
                    continue
                key = id(child.variable) if type(child).__name__ == "AccumulateGrad" else id(child)
                uses[key] = uses.get(key, 0) + 1
                if type(child).__name__ != "AccumulateGrad":
                    self._note_value(fn, k, child)
                    stack.append((child, False))
        return order, uses

    def _note_value(self, fn, k: int, child):
        """Notes what `fn` kept of its operand k's value (computed by `child`): the value itself, or its own
        result, from which an invertible op's input can be guessed and checked."""
        attrs, kind = SAVED.get(type(fn).__name__, ()), type(fn).__name__
        saved = getattr(fn, attrs[k], None) if k < len(attrs) else None
        if isinstance(saved, self.torch.Tensor):
            self.known.setdefault(id(child), (saved.detach(), None))
        elif kind in INVERSES and getattr(fn, "_saved_result", None) is not None:
            self.known.setdefault(id(child), (fn._saved_result.detach(), kind))

    def _operand(self, fn, k: int, uses: dict):
        """Returns (node, torch value) of operand k of `fn`; None for an operand torch kept no value of."""
        child = fn.next_functions[k][0] if k < len(fn.next_functions) else None
        if child is not None and type(child).__name__ == "AccumulateGrad":
            leaf = child.variable
            if id(leaf) not in self.index:
                self.keep.append(leaf)
                self.index[id(leaf)] = self.program.leaf(_tensor_value(leaf), self.given.get(id(leaf), ""))
                self.value[id(leaf)] = leaf.detach()
            return self.index[id(leaf)], self.value[id(leaf)]
        if child is not None:
            return self.index[id(child)], self.value[id(child)]
        attrs = SAVED.get(type(fn).__name__, ())
        saved = getattr(fn, attrs[k], None) if k < len(attrs) else None
        return self._constant(saved) if saved is not None else None

    def _constant(self, saved):
        """Returns (node, value) of a value torch saved that has no graph: a number, or data (a variable)."""
        torch = self.torch
        if not isinstance(saved, torch.Tensor):
            return self.program.const(float(saved)), torch.tensor(saved)
        if id(saved) not in self.index:
            self.keep.append(saved)
            if saved.dim() == 0 and id(saved) not in self.given:
                self.index[id(saved)] = self.program.const(float(_shortest(saved)))
            else:
                self.index[id(saved)] = self.program.leaf(_tensor_value(saved), self.given.get(id(saved), ""))
            self.value[id(saved)] = saved.detach()
        return self.index[id(saved)], self.value[id(saved)]

    def _record(self, fn, uses: dict):
        torch, program, kind = self.torch, self.program, type(fn).__name__
        op, name = TORCH_OPS[kind], self.given.get(id(fn), "")
        arity = OPS[op].arity
        operands = [self._operand(fn, k, uses) for k in range(len(fn.next_functions))]
        if kind == "PowBackward0":
            operands.append(self._constant(fn._saved_exponent))
        elif kind == "PowBackward2":
            operands.insert(0, self._constant(fn._saved_self))
        elif kind == "ReciprocalBackward0":
            operands.insert(0, (program.const(1.0), torch.tensor(1.0)))
        elif kind == "RsubBackward1":   # c - x: torch keeps no c
            operands.insert(0, None)
        if None in operands:
            operands = self._recover(fn, kind, op, operands)
        args = [node for node, _ in operands[:arity]]
        foldable = {self.index[id(child)] for child, _ in fn.next_functions if child is not None
                    and type(child).__name__ != "AccumulateGrad" and uses[id(child)] == 1
                    and id(child) not in self.given}
        index = program.lecture_op(op, args, foldable, name) if op in ("add", "mul") else program.op(op, *args, name=name)
        self.index[id(fn)] = index
        self.value[id(fn)] = _TORCH[op](torch, *(value for _, value in operands[:arity]))

    def _recover(self, fn, kind: str, op: str, operands: list):
        """Returns the operands with the number torch did not keep (x + 2 keeps no 2) worked out from the
        op's output, where torch saved that elsewhere: the shortest number that gives torch's own output."""
        torch = self.torch
        missing = operands.index(None)
        seen, through = self.known.get(id(fn), (None, None))
        if seen is None or op not in ("add", "sub") or any(o is None for i, o in enumerate(operands) if i != missing):
            raise ChainruleError(f"from_torch cannot recover the number in {kind}: torch keeps no copy of it, and no "
                                 "later op saved the result. Make the number a tensor and name it, e.g. "
                                 "c = torch.tensor(2.0, requires_grad=True); x + c; names={'c': c}")
        # torch saw `seen`: this op's output, or the output of the op `through` (exp, tanh, ...) applied to it
        out = seen if through is None else INVERSES[through][0](torch, seen.double())
        other = operands[1 - missing][1]
        guess = {("add", 1): out - other, ("sub", 1): other - out, ("sub", 0): out + other}[(op, missing)]
        first = float(guess.reshape(-1)[0].double())
        for digits in range(1, 18):
            number = float(f"{first:.{digits}g}")
            c = torch.tensor(number, dtype=other.dtype if other.is_floating_point() else torch.float64)
            made = _TORCH[op](torch, *((c, other) if missing == 0 else (other, c)))
            if through is not None:
                made = _TORCH[INVERSES[through][1]](torch, made)
            if made.shape == seen.shape and torch.equal(made.to(seen.dtype), seen):
                operands[missing] = (self.program.const(number), c)   # x + (-2) reads x - 2 (Program.lecture_op)
                return operands
        raise ChainruleError(f"from_torch cannot recover the number in {kind}: no one number gives torch's result "
                             "(a tensor of several numbers?). Give it requires_grad=True and name it in names=")


# an op that keeps only its result: how to guess its input from it, and the op, to check the guess
INVERSES = {"ExpBackward0": (lambda t, y: t.log(y), "exp"), "TanhBackward0": (lambda t, y: t.atanh(y), "tanh"),
            "SigmoidBackward0": (lambda t, y: t.logit(y), "sigmoid"), "SqrtBackward0": (lambda t, y: y * y, "sqrt")}
def _swapped_dims(fn) -> tuple:
    """Returns the dimensions a permute or transpose exchanged: (1, 0) for a matrix's x.T."""
    if hasattr(fn, "_saved_dims"):
        return tuple(fn._saved_dims)
    return tuple(sorted((fn._saved_dim0, fn._saved_dim1), reverse=True))


_TORCH = {"matmul": lambda t, a, b: a @ b, "transpose": lambda t, a: a.T, "add": lambda t, a, b: a + b, "sub": lambda t, a, b: a - b, "mul": lambda t, a, b: a * b,
          "div": lambda t, a, b: a / b, "neg": lambda t, a: -a, "pow": lambda t, a, b: t.pow(a, b),
          "exp": lambda t, a: t.exp(a), "log": lambda t, a: t.log(a), "tanh": lambda t, a: t.tanh(a),
          "sigmoid": lambda t, a: t.sigmoid(a), "relu": lambda t, a: t.relu(a), "sin": lambda t, a: t.sin(a),
          "cos": lambda t, a: t.cos(a), "tan": lambda t, a: t.tan(a), "sqrt": lambda t, a: t.sqrt(a),
          "abs": lambda t, a: t.abs(a), "max": lambda t, a, b: t.maximum(a, b), "min": lambda t, a, b: t.minimum(a, b),
          "sum": lambda t, a: t.sum(a), "mean": lambda t, a: t.mean(a), "dot": lambda t, a, b: t.dot(a, b),
          "softmax": lambda t, a: t.softmax(a, 0), "mse": lambda t, a, b: t.nn.functional.mse_loss(a, b),
          "bce": lambda t, a, b: t.nn.functional.binary_cross_entropy(a, b)}


def _shortest(t) -> float:
    """Returns a float tensor's number as the shortest decimal that its own dtype reads back: float32's 0.1 is
    0.1, not 0.10000000149011612."""
    value = t.detach().double().item()
    dtype = {"torch.float32": np.float32, "torch.float16": np.float16}.get(str(t.dtype))
    return float(str(dtype(value))) if dtype else value


def _tensor_value(t):
    """Returns a tensor's value as the engine takes it: a float, or nested lists of floats (vector, matrix)."""
    if t.dim() > 2:
        raise ChainruleError(f"from_torch shows numbers, vectors and matrices; this tensor has {t.dim()} "
                             f"dimensions {tuple(t.shape)}")
    if t.dim() == 0:
        return _shortest(t)
    dtype = {"torch.float32": np.float32, "torch.float16": np.float16}.get(str(t.dtype))
    values = t.detach().double().cpu().numpy()
    short = np.vectorize(lambda v: float(str(dtype(v))))(values) if dtype else values
    return short.tolist()
