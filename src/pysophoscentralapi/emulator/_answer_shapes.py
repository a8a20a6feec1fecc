"""``EmulatorConfig.answer_shapes``: answers of state-changing requests in the shapes real ones take.

Sophos Central does not always answer in the form its documentation shows. With
``answer_shapes="real-world"`` the emulator's isolate / unisolate, scan / update-check and
delete answers carry the forms seen in real answers, which the library reads as usual:

- timestamps like ``2021-08-13 09.07.03 GMT`` (a space for ``T``, dots in the time, a zone name);
- booleans as text: ``"True"`` / ``"False"``.

With ``answer_shapes="unreadable"`` they carry values no parser can read (``"yes"`` for a
boolean, a timestamp in a local zone, ``13.08.2021 11:07:03 CEST``): the library must still
report the change as done, keep those values as sent and warn (``pysophos --debug`` shows it).

Example::

    with run_emulator(EmulatorConfig(answer_shapes="real-world")) as emu:
        ...
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

#: The values of ``EmulatorConfig.answer_shapes`` (``standard``: as the documentation shows).
ANSWER_SHAPES = ("standard", "real-world", "unreadable")

_API_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z")
_CEST = timedelta(hours=2)


def reshape(answer: Any, shape: str) -> Any:
    """``answer`` (a JSON value) with its booleans and timestamps in ``shape``'s forms."""
    if shape == "standard":
        return answer
    if isinstance(answer, dict):
        return {key: reshape(value, shape) for key, value in answer.items()}
    if isinstance(answer, list):
        return [reshape(value, shape) for value in answer]
    if isinstance(answer, bool):
        if shape == "real-world":
            return "True" if answer else "False"
        return "yes" if answer else "no"
    if isinstance(answer, str) and _API_TIME.fullmatch(answer):
        moment = datetime.fromisoformat(answer)
        if shape == "real-world":
            return moment.strftime("%Y-%m-%d %H.%M.%S GMT")
        return (moment + _CEST).strftime("%d.%m.%Y %H:%M:%S CEST")
    return answer
