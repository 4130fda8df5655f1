"""actlab — the helper package of the course book *Activation Functions*.

Everything a chapter needs and more than one chapter uses lives here:
activation functions and their derivatives (:mod:`actlab.activations`: sigmoid,
tanh, the rectifiers ReLU, Leaky ReLU/PReLU and ELU, and the activations of
current networks, softplus, SiLU/Swish, GELU in its exact and tanh forms, Mish,
SELU, and softmax with log-softmax), the same functions in SymPy
(:mod:`actlab.symbolic`), central differences (:mod:`actlab.numdiff`) and the
house figure style (:mod:`actlab.plotting`).
A tiny NumPy multilayer perceptron (:mod:`actlab.mlp`) and seeded 2-D data
sets (:mod:`actlab.data`) serve the experiment chapters.
"""

from .activations import (
    SELU_ALPHA,
    SELU_LAMBDA,
    elu,
    elu_prime,
    gelu,
    gelu_prime,
    leaky_relu,
    leaky_relu_alpha_grad,
    leaky_relu_prime,
    log_softmax,
    mish,
    mish_prime,
    relu,
    relu_prime,
    selu,
    selu_prime,
    sigmoid,
    sigmoid_prime,
    silu,
    silu_prime,
    softmax,
    softplus,
    softplus_prime,
    swish,
    swish_prime,
    tanh,
    tanh_prime,
)
from .book import glue, sci
from .data import circles, spirals, two_moons
from .mlp import (
    ACTIVATIONS,
    INITS,
    MLP,
    gradient_check,
    mean_squared_error,
    softmax_cross_entropy,
    train,
)
from .numdiff import central_difference
from .plotting import (
    COLORS,
    LINESTYLES,
    origin_axes,
    plot_function_and_derivative,
    plot_functions,
    use_house_style,
)
from .symbolic import (
    elu_expr,
    gelu_expr,
    gelu_tanh_expr,
    leaky_relu_expr,
    mish_expr,
    relu_expr,
    selu_expr,
    sigmoid_expr,
    silu_expr,
    softplus_expr,
    swish_expr,
    tanh_expr,
)
from .widgets import interactive_figure

__version__ = "0.1.0"

__all__ = [
    "ACTIVATIONS",
    "COLORS",
    "INITS",
    "LINESTYLES",
    "MLP",
    "SELU_ALPHA",
    "SELU_LAMBDA",
    "central_difference",
    "circles",
    "elu",
    "elu_expr",
    "elu_prime",
    "gelu",
    "gelu_expr",
    "gelu_prime",
    "gelu_tanh_expr",
    "glue",
    "gradient_check",
    "interactive_figure",
    "leaky_relu",
    "leaky_relu_alpha_grad",
    "leaky_relu_expr",
    "leaky_relu_prime",
    "log_softmax",
    "mean_squared_error",
    "mish",
    "mish_expr",
    "mish_prime",
    "origin_axes",
    "plot_function_and_derivative",
    "plot_functions",
    "relu",
    "relu_expr",
    "relu_prime",
    "sci",
    "selu",
    "selu_expr",
    "selu_prime",
    "sigmoid",
    "sigmoid_expr",
    "sigmoid_prime",
    "silu",
    "silu_expr",
    "silu_prime",
    "softmax",
    "softmax_cross_entropy",
    "softplus",
    "softplus_expr",
    "softplus_prime",
    "spirals",
    "swish",
    "swish_expr",
    "swish_prime",
    "tanh",
    "tanh_expr",
    "tanh_prime",
    "train",
    "two_moons",
    "use_house_style",
]
