"""PyTorch as the test oracle: each engine op as torch computes it, and a graph replayed
node by node in torch (float64), so torch's autograd gives the gradients to compare."""


def torch_ops(torch) -> dict:
    """Returns each engine op as torch computes it, by op name."""
    return {"add": torch.add, "sub": torch.sub, "mul": torch.mul, "div": torch.div,
            "neg": torch.neg, "pow": torch.pow, "exp": torch.exp, "log": torch.log,
            "sqrt": torch.sqrt, "sin": torch.sin, "cos": torch.cos, "tan": torch.tan,
            "tanh": torch.tanh, "sigmoid": torch.sigmoid, "relu": torch.relu, "abs": torch.abs,
            "max": torch.maximum, "min": torch.minimum,
            # array ops, over all elements as the engine defines them
            "matmul": torch.matmul, "transpose": lambda a: a.T if a.dim() >= 2 else a,
            "sum": torch.sum, "mean": torch.mean, "dot": torch.dot, "norm": torch.norm,
            "sqnorm": lambda a: (a * a).sum(), "amax": torch.amax,
            "softmax": lambda a: torch.softmax(a.reshape(-1), 0).reshape(a.shape),
            "mse": lambda y, t: ((y - t) ** 2).mean(),
            "bce": lambda p, t: -(t * torch.log(p) + (1 - t) * torch.log(1 - p)).mean(),
            "ce": lambda p, t: -(t * torch.log(p)).sum(), "detach": lambda a: a.detach()}


def replay(torch, graph, leaves: dict):
    """Returns the output tensor of `graph` computed in torch from `leaves` (name -> tensor)."""
    ops = torch_ops(torch)
    out = []
    for node in graph.nodes:
        if node.op == "var":
            out.append(leaves[node.text])
        elif node.op == "const":
            out.append(torch.tensor(node.const, dtype=torch.float64))
        else:
            out.append(ops[node.op](*(out[i] for i in node.inputs)))
    return out[graph.output]
