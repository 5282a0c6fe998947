"""Putting text on the clipboard without a clipboard library: the desktop's
own tool when there is a desktop (wl-copy, xclip, xsel, pbcopy, clip.exe),
otherwise the terminal's OSC 52 escape sequence, which also reaches the
clipboard of the machine in front of you over ssh. Each way says what it did:
a terminal that ignores OSC 52 cannot tell us, so that is said too."""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping


def clipboard_tools(env: Mapping[str, str], platform: str) -> list[list[str]]:
    """The clipboard programs worth trying here, best first."""
    tools: list[list[str]] = []
    if platform == "darwin":
        tools.append(["pbcopy"])
    if env.get("WAYLAND_DISPLAY"):
        tools.append(["wl-copy"])
    if env.get("DISPLAY"):
        tools += [["xclip", "-selection", "clipboard"], ["xsel", "--clipboard", "--input"]]
    if platform == "win32" or env.get("WSL_DISTRO_NAME"):
        tools.append(["clip.exe"])
    return tools


def osc52(text: str) -> str:
    return "\033]52;c;" + base64.b64encode(text.encode("utf-8")).decode("ascii") + "\a"


def copy_text(
    text: str,
    terminal: Callable[[str], None] | None,
    env: Mapping[str, str] | None = None,
    platform: str | None = None,
) -> tuple[bool, str]:
    """Copy `text`; returns whether it was handed to a clipboard and one
    sentence saying how (or why not)."""
    env = os.environ if env is None else env
    tried = []
    for command in clipboard_tools(env, platform or sys.platform):
        program = shutil.which(command[0], path=env.get("PATH"))
        if program is None:
            continue
        tried.append(command[0])
        try:
            # Output to /dev/null: xclip stays behind to serve the selection,
            # and waiting for its output would wait for it to exit.
            done = subprocess.run([program, *command[1:]], input=text.encode("utf-8"), timeout=5,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        except (OSError, subprocess.SubprocessError):
            continue
        if done.returncode == 0:
            return True, f"Copied to the clipboard with {command[0]}."
    failed = f" ({', '.join(tried)} failed)" if tried else ""
    if terminal is not None:
        terminal(osc52(text))
        return True, (f"Sent to the clipboard through the terminal (OSC 52){failed}; a terminal that does not "
                      "support it ignores it silently, so if nothing arrived use /save FILE.")
    return False, f"Cannot copy: no clipboard tool found{failed} and the output is not a terminal. Use /save FILE."
