"""Book plumbing a chapter needs: :func:`glue`, the same as ``myst_nb.glue``.

Importing :mod:`myst_nb` in a kernel costs about 1.5 s (it pulls in
``nbformat`` and ``jsonschema``) and needs the whole book tool chain, which a
student running a notebook on Colab does not have. :func:`glue` here writes the
very same output that ``myst_nb.glue`` writes, with IPython alone; the unit
tests compare the two.
"""

from __future__ import annotations

from typing import Any

__all__ = ["GLUE_PREFIX", "glue", "sci"]

#: The MIME-type prefix myst-nb uses for values glued with ``display=False``.
GLUE_PREFIX = "application/papermill.record/"


def glue(name: str, variable: Any, display: bool = True) -> None:
    """Store the display value of ``variable`` under ``name`` for the book's prose.

    The book's Markdown inserts it with ``{glue:text}`name``` (myst-nb reads the
    output this function writes into the notebook). Glue *rounded* values: a
    stored output must not depend on the last bits of a CPU's arithmetic.

    Parameters
    ----------
    name : str
        A key unique within the notebook.
    variable : object
        The value; what is stored is its IPython display form.
    display : bool, default True
        Also show the value in the cell's output (in a notebook viewer).
    """
    if not isinstance(name, str) or not name:
        raise TypeError(f"name must be a non-empty string, not {name!r}")
    import IPython
    from IPython.display import display as ipy_display

    mimebundle, metadata = IPython.core.formatters.format_display_data(variable)
    prefix = "" if display else GLUE_PREFIX
    metadata["scrapbook"] = {"name": name, "mime_prefix": prefix}
    ipy_display({prefix + k: v for k, v in mimebundle.items()}, raw=True, metadata=metadata)


def sci(value: float, digits: int = 2) -> Any:
    r"""``value`` in scientific notation as inline math, e.g. :math:`1.6 \times 10^{-10}`.

    Glue it (``glue("name", sci(x), display=False)``) and insert it with
    ``{glue:md}`name```: as math, a line break can never separate the mantissa
    from its exponent, as it can in ``1.6e-10``. ``digits`` significant digits
    are kept -- round-off sized values need few (see the README on stored outputs).

    Returns
    -------
    IPython.display.Markdown
    """
    from IPython.display import Markdown

    from ._validation import check_int, check_real_scalar

    number = check_real_scalar(value, "value")
    digits = check_int(digits, "digits", 1)
    mantissa, exponent = f"{number:.{digits - 1}e}".split("e")
    return Markdown(rf"${mantissa} \times 10^{{{int(exponent)}}}$")
