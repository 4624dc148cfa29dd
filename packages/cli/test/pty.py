"""Runs a command with its stderr (and stdin) on a pseudo-terminal and its stdout into a file.

    python3 pty.py <stdout file | -> <command> [args...]

Prints the child's pid on the first line of its own stderr, then copies everything the child writes to the
terminal, byte for byte (output post-processing off: a "\\n" stays "\\n"), to its own stdout. Exits with the
child's exit code (128 + N when a signal N ended it). With `-` for the file, stdout goes to the terminal too.
"""
import os
import subprocess
import sys
import termios

out_path, argv = sys.argv[1], sys.argv[2:]
master, slave = os.openpty()
attrs = termios.tcgetattr(slave)
attrs[1] &= ~termios.OPOST  # no "\n" -> "\r\n": what the program writes is what the test reads
termios.tcsetattr(slave, termios.TCSANOW, attrs)
if out_path == "-":
    child = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, close_fds=True)
else:
    with open(out_path, "wb") as out:
        child = subprocess.Popen(argv, stdin=slave, stdout=out, stderr=slave, close_fds=True)
os.close(slave)
sys.stderr.write(f"{child.pid}\n")
sys.stderr.flush()
while True:
    try:
        chunk = os.read(master, 65536)
    except OSError:  # EIO: the terminal's last writer closed it
        break
    if not chunk:
        break
    sys.stdout.buffer.write(chunk)
    sys.stdout.buffer.flush()
code = child.wait()
sys.exit(128 - code if code < 0 else code)
