"""Re-execute chapter notebooks in place, so their stored outputs are fresh.

Usage: ``python tools/refresh_outputs.py chapters/*.ipynb`` (``make outputs``).

Each notebook runs in its own folder, as in the book build and under nbval.
Execution timings are not recorded, so a refresh that changes no result
changes no byte of the file. The notebook metadata is normalised to what
JupyterLab writes for this environment's kernel (:func:`normalise_metadata`),
so opening and saving a notebook in JupyterLab changes no byte either.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient


def kernelspec() -> dict[str, str]:
    """The ``kernelspec`` metadata JupyterLab writes for this environment's python3 kernel."""
    spec = KernelSpecManager().get_kernel_spec("python3")
    return {"display_name": spec.display_name, "language": spec.language, "name": "python3"}


def normalise_metadata(nb: nbformat.NotebookNode) -> None:
    """Keep only the kernel's own metadata (and ``actlab``), as JupyterLab would write it."""
    nb.metadata.pop("widgets", None)
    nb.metadata["kernelspec"] = kernelspec()


def refresh(path: Path) -> None:
    """Execute ``path`` top to bottom and write it back with its new outputs."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
    )
    client.execute()
    normalise_metadata(nb)
    nbformat.write(nb, path)


def main(paths: list[str]) -> int:
    if not paths:
        print("usage: refresh_outputs.py NOTEBOOK...", file=sys.stderr)
        return 2
    for p in paths:
        print(f"executing {p}", flush=True)
        refresh(Path(p))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
