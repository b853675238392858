#!/usr/bin/env python3
"""Runs a command on a pseudo-terminal, as a user at a terminal would.

usage: tty-drive.py answer|interrupt COMMAND...
Waits for the prompt (a line ending in ": "), then either types the token read from this
script's stdin and Enter ("answer") or presses Ctrl-C ("interrupt"). Prints everything the
terminal showed, then "echo-after: on|off" (the terminal's echo flag once the command ended),
then "exit: N". Gives up after 20 s."""
import os
import select
import sys
import termios
import time

mode, command = sys.argv[1], sys.argv[2:]
token = sys.stdin.read().strip() if mode == "answer" else ""
pid, master = os.forkpty()
if pid == 0:
    os.execvp(command[0], command)

shown = b""
deadline = time.monotonic() + 20


def read_some(timeout):
    global shown
    ready, _, _ = select.select([master], [], [], timeout)
    if ready:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            return False
        if not chunk:
            return False
        shown += chunk
    return True


while b": " not in shown and time.monotonic() < deadline:
    if not read_some(0.1):
        break
if mode == "answer":
    os.write(master, token.encode() + b"\r")
else:
    os.write(master, b"\x03")
status = None
while time.monotonic() < deadline:
    done, code = os.waitpid(pid, os.WNOHANG)
    read_some(0.05)
    if done:
        status = os.waitstatus_to_exitcode(code)
        break
if status is None:
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    status = "timeout"
while read_some(0.05):
    pass
echo = termios.tcgetattr(master)[3] & termios.ECHO
sys.stdout.write(shown.decode(errors="replace"))
print(f"\necho-after: {'on' if echo else 'off'}")
print(f"exit: {status}")
