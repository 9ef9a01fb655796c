"""The project's own Neo4j server: build, start, stop, status.

Neo4j Community 5.26 runs embedded in ``tools/neo4j`` (one Java class, jars from
Maven Central), because nothing but package registries is reachable here: no
Docker, no distribution tarball.  State lives under ``tools/neo4j/run/``
(gitignored): ``home/`` (the database), ``neo4j.pid``, ``neo4j.log``.

The server listens on 127.0.0.1 only, with authentication off; connect with
``bolt://127.0.0.1:7687`` (``ZHIZE_NEO4J_PORT`` changes the port) and any or no
user/password.  "Ready" means Bolt answers a protocol handshake, checked over a
plain socket so this module needs nothing beyond the standard library.

The project's server is identified, never assumed: it is the process whose pid
this checkout wrote to ``run/neo4j.pid``, running our launcher on this
checkout's ``run/home`` and the configured port, and holding that port's
listening socket.  A server anyone else started on the port (another clone's,
the user's own Neo4j) is reported and refused by ``start``, and the test
fixtures refuse to clear it (``project_server``).

    python -m zhize.neo4j_server start|stop|status     (or ``zhize neo4j …``,
    or ``tools/neo4j/neo4j.sh …``)
"""
from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parents[1]
TOOL_DIR = ROOT / "tools" / "neo4j"
RUN_DIR = TOOL_DIR / "run"
PID_FILE = RUN_DIR / "neo4j.pid"
LOG_FILE = RUN_DIR / "neo4j.log"
HOME_DIR = RUN_DIR / "home"
TARGET = TOOL_DIR / "target"
STAMP = TARGET / "zhize-build.sha1"
MAIN_CLASS = "zhize.Launcher"
READY_MARK = "zhize-neo4j: ready"      # the launcher prints it once the default database answers queries
FAILED_MARK = "zhize-neo4j: failed:"   # … and this, with the root cause, when it cannot start
HOST = "127.0.0.1"
DEFAULT_PORT = 7687
START_TIMEOUT = 90.0
STOP_TIMEOUT = 60.0

# 5.26 supports Java 17 and 21 only; newer JDKs on the machine (e.g. Temurin 25) are skipped.
SUPPORTED_JAVA = (17, 21)
JVM_FLAGS = [
    "-Xmx1g",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
    "-Dio.netty.tryReflectionSetAccessible=true",
]


class Neo4jServerError(RuntimeError):
    """The server could not be built, started or stopped; the message says why and what to do."""


@dataclass(frozen=True)
class ServerStatus:
    running: bool              # our process is alive
    answering: bool            # Bolt answers on the port
    pid: Optional[int]
    uri: str
    log: Path
    ours: bool = False         # what answers on the port is our process (it holds the listening socket)
    port: Optional[int] = None     # the port our process was started on, when it runs

    def describe(self) -> str:
        if self.running and self.port is not None and self.port != port():
            return (f"running (pid {self.pid}) on port {self.port}, not the configured {port()} "
                    f"(ZHIZE_NEO4J_PORT); stop it first, or use ZHIZE_NEO4J_PORT={self.port}")
        if self.ours:
            return f"running (pid {self.pid}) at {self.uri}"
        if self.running and not self.answering:
            return f"starting or unresponsive (pid {self.pid}), {self.uri} does not answer yet; log: {self.log}"
        if self.answering:
            return (f"answering at {self.uri}, but not started from this checkout: zhize will not use or clear "
                    f"it (stop it where it was started, or set ZHIZE_NEO4J_PORT to a free port)")
        return "stopped"


def port() -> int:
    return int(os.environ.get("ZHIZE_NEO4J_PORT") or DEFAULT_PORT)


def uri(p: Optional[int] = None) -> str:
    return f"bolt://{HOST}:{p or port()}"


# --- Java and the build ------------------------------------------------------------------

def _java_major(java: Path) -> Optional[int]:
    try:
        out = subprocess.run([str(java), "-version"], capture_output=True, text=True, timeout=30).stderr
    except (OSError, subprocess.TimeoutExpired):
        return None
    # 'openjdk version "17.0.15" 2025-04-15' / 'version "21"'
    for line in out.splitlines():
        if "version" in line and '"' in line:
            v = line.split('"')[1]
            head = v.split(".")[0]
            return int(head) if head.isdigit() else None
    return None


def find_java_home() -> Path:
    """A JDK 17 or 21: ``ZHIZE_JAVA_HOME``, then ``JAVA_HOME``, then the usual Debian paths."""
    candidates: list[Path] = []
    for var in ("ZHIZE_JAVA_HOME", "JAVA_HOME"):
        if os.environ.get(var):
            candidates.append(Path(os.environ[var]))
    jvm = Path("/usr/lib/jvm")
    for major in SUPPORTED_JAVA:
        candidates += sorted(jvm.glob(f"java-{major}-openjdk*")) + sorted(jvm.glob(f"*-{major}-*"))
    for home in candidates:
        java = home / "bin" / "java"
        if java.exists() and _java_major(java) in SUPPORTED_JAVA:
            return home
    raise Neo4jServerError(
        "Neo4j 5.26 needs Java 17 or 21 and none was found (set ZHIZE_JAVA_HOME, "
        "or `apt-get install openjdk-17-jdk-headless`).")


def _build_fingerprint() -> str:
    h = hashlib.sha1()
    for f in [TOOL_DIR / "pom.xml", *sorted((TOOL_DIR / "src").rglob("*.java"))]:
        h.update(f.relative_to(TOOL_DIR).as_posix().encode())
        h.update(f.read_bytes())
    return h.hexdigest()


def needs_build() -> bool:
    lib = TARGET / "lib"
    if not (TARGET / "classes" / "zhize" / "Launcher.class").exists() or not any(lib.glob("neo4j-*.jar")):
        return True
    return not STAMP.exists() or STAMP.read_text().strip() != _build_fingerprint()


def build(force: bool = False, quiet: bool = True) -> bool:
    """Compile the launcher and copy its jars to ``target/lib``; False when nothing needed doing."""
    if not force and not needs_build():
        return False
    mvn = shutil.which("mvn")
    if mvn is None:
        raise Neo4jServerError("Maven is needed to build the Neo4j launcher: `apt-get install maven`.")
    env = {**os.environ, "JAVA_HOME": str(find_java_home())}
    cmd = [mvn, "-B", *(["-q"] if quiet else []), "compile", "dependency:copy-dependencies"]
    # a stale lib/ would keep jars of an older Neo4j on the classpath
    shutil.rmtree(TARGET / "lib", ignore_errors=True)
    proc = subprocess.run(cmd, cwd=TOOL_DIR, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).splitlines()[-30:])
        raise Neo4jServerError(f"building the Neo4j launcher failed ({' '.join(cmd)} in {TOOL_DIR}):\n{tail}")
    STAMP.write_text(_build_fingerprint() + "\n")
    return True


# --- the process ---------------------------------------------------------------------------

def bolt_answers(p: Optional[int] = None, timeout: float = 2.0) -> bool:
    """True when a Bolt server on the port accepts a version handshake (Bolt 4.4 to 5.x)."""
    magic = bytes.fromhex("6060B017")
    versions = bytes.fromhex("00080805" "00000404" "00000000" "00000000")   # 5.0-5.8, 4.4
    try:
        with socket.create_connection((HOST, p or port()), timeout=timeout) as s:
            s.sendall(magic + versions)
            got = b""
            while len(got) < 4:
                chunk = s.recv(4 - len(got))
                if not chunk:
                    return False
                got += chunk
            # a Bolt server picks one proposal: 00 00 minor major (4.4 or 5.x); anything else is not Bolt
            return got[:2] == b"\x00\x00" and (got[3], got[2]) in {(4, 4), *((5, m) for m in range(9))}
    except OSError:
        return False


def _read_pid() -> Optional[int]:
    try:
        return int(PID_FILE.read_text().strip())
    except (OSError, ValueError):
        return None


def _launch_args(pid: int) -> Optional[list[str]]:
    """The launcher's arguments (home, port) when the pid is alive and runs our launcher class, else None."""
    try:
        cmdline = [a.decode(errors="replace") for a in Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")]
    except OSError:
        try:
            os.kill(pid, 0)
        except OSError:
            return None
        return [str(HOME_DIR), str(port())]      # no /proc: trust the pid file
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()[0]
    except OSError:
        return None
    if state == "Z" or MAIN_CLASS not in cmdline:
        return None
    return [a for a in cmdline[cmdline.index(MAIN_CLASS) + 1:] if a]


def _is_ours(pid: int) -> bool:
    """The pid is alive and is our launcher on this checkout's database (not a recycled pid, not
    another clone's server)."""
    args = _launch_args(pid)
    return bool(args) and Path(args[0]) == HOME_DIR


def _started_port(pid: int) -> Optional[int]:
    args = _launch_args(pid)
    return int(args[1]) if args and len(args) > 1 and args[1].isdigit() else None


def _listening_inodes(p: int) -> Optional[set[str]]:
    """Inodes of sockets listening on TCP port ``p`` (Linux ``/proc/net``); None where that cannot be read."""
    found: set[str] = set()
    read_any = False
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        read_any = True
        for line in lines:
            cols = line.split()
            if len(cols) > 9 and cols[3] == "0A" and int(cols[1].rsplit(":", 1)[1], 16) == p:
                found.add(cols[9])
    return found if read_any else None


def holds_port(pid: int, p: int) -> bool:
    """Whether process ``pid`` holds the socket listening on port ``p`` (True where /proc cannot tell)."""
    inodes = _listening_inodes(p)
    if inodes is None:
        return True
    try:
        fds = list(Path(f"/proc/{pid}/fd").iterdir())
    except OSError:
        return True                       # not ours to inspect: the pid and cmdline checks stand
    for fd in fds:
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:[") and target[8:-1] in inodes:
            return True
    return False


def log_tail(lines: int = 40) -> str:
    try:
        return "\n".join(LOG_FILE.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _failure() -> str:
    """The launcher's one-line reason (``zhize-neo4j: failed: …``), or nothing."""
    try:
        lines = [ln for ln in LOG_FILE.read_text(errors="replace").splitlines() if ln.startswith(FAILED_MARK)]
    except OSError:
        return ""
    return f" ({lines[-1][len(FAILED_MARK):].strip()})" if lines else ""


def _ready_logged() -> bool:
    try:
        return READY_MARK in LOG_FILE.read_text(errors="replace")
    except OSError:
        return False


def status() -> ServerStatus:
    pid = _read_pid()
    running = pid is not None and _is_ours(pid)
    answering = bolt_answers(timeout=1.0)
    started = _started_port(pid) if running else None
    ours = running and answering and started == port() and holds_port(pid, port())
    return ServerStatus(running=running, answering=answering, pid=pid if running else None, uri=uri(),
                        log=LOG_FILE, ours=ours, port=started)


def project_server() -> ServerStatus:
    """The server this checkout started, answering on the configured port; else ``Neo4jServerError``
    saying what answers instead.  What test fixtures must check before they clear a database."""
    st = status()
    if not st.ours:
        raise Neo4jServerError(f"the project's Neo4j is not what answers at {st.uri}: {st.describe()}")
    return st


def start(timeout: float = START_TIMEOUT) -> ServerStatus:
    """Build if needed, start in the background, return once Bolt answers."""
    RUN_DIR.mkdir(parents=True, exist_ok=True)
    # two callers at once (two test sessions, make and a shell) must not launch two JVMs on one store
    with open(RUN_DIR / "start.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _start_locked(timeout)


def _start_locked(timeout: float) -> ServerStatus:
    st = status()
    if st.ours:
        return st
    if st.running and st.port is not None and st.port != port():
        raise Neo4jServerError(f"this checkout's Neo4j is {st.describe()}")
    if st.running and not st.answering:
        return _wait_ready(st.pid, timeout)        # started earlier and still coming up
    if st.answering:
        # a server this checkout did not start (another clone's, the user's own): never use it as
        # the project's, whose databases the tests and `--fresh` runs may clear
        raise Neo4jServerError(
            f"port {port()} is taken by a Neo4j not started from this checkout; zhize will not use it as "
            f"the project's server. Stop it where it was started, or choose a free port: "
            f"ZHIZE_NEO4J_PORT=7688 zhize neo4j start (and NEO4J_URI=bolt://{HOST}:7688)")
    build()
    java = find_java_home() / "bin" / "java"
    cmd = [str(java), *JVM_FLAGS, "-cp", f"{TARGET / 'classes'}:{TARGET / 'lib'}/*",
           MAIN_CLASS, str(HOME_DIR), str(port())]
    with open(LOG_FILE, "w") as log:
        proc = subprocess.Popen(cmd, cwd=TOOL_DIR, stdin=subprocess.DEVNULL, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)
    PID_FILE.write_text(f"{proc.pid}\n")
    return _wait_ready(proc.pid, timeout, proc)


def _wait_ready(pid: int, timeout: float, proc: Optional[subprocess.Popen] = None) -> ServerStatus:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        # Bolt accepts handshakes a few seconds before the database is up: wait for both
        if _ready_logged() and bolt_answers(timeout=1.0):
            st = status()
            if st.ours:
                return st
        exited = proc.poll() is not None if proc is not None else not _is_ours(pid)
        if exited:
            PID_FILE.unlink(missing_ok=True)
            raise Neo4jServerError(f"Neo4j exited while starting{_failure()}; last lines of {LOG_FILE}:\n{log_tail()}")
        time.sleep(0.5)
    _terminate(pid, STOP_TIMEOUT)
    raise Neo4jServerError(f"Neo4j did not answer on {uri()} within {timeout:.0f} s and was stopped; "
                           f"last lines of {LOG_FILE}:\n{log_tail()}")


def _terminate(pid: int, timeout: float) -> None:
    """SIGTERM (the shutdown hook closes the store cleanly), SIGKILL only if it hangs."""
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        PID_FILE.unlink(missing_ok=True)
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and _is_ours(pid):
        _reap(pid)
        time.sleep(0.3)
    if _is_ours(pid):
        os.kill(pid, signal.SIGKILL)
        while _is_ours(pid):
            _reap(pid)
            time.sleep(0.1)
    _reap(pid)
    PID_FILE.unlink(missing_ok=True)


def _reap(pid: int) -> None:
    """Collect the exit status when this process started the server (else it lingers as a zombie)."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def stop(timeout: float = STOP_TIMEOUT) -> bool:
    """Stop the server this project started; False when none was running."""
    pid = _read_pid()
    if pid is None or not _is_ours(pid):
        PID_FILE.unlink(missing_ok=True)
        return False
    _terminate(pid, timeout)
    return True


def main(argv: Optional[list[str]] = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    cmd = args[0] if args else "status"
    try:
        if cmd == "start":
            t0 = time.monotonic()
            built = needs_build()
            if built:
                print("building the Neo4j launcher (first time: downloads ~120 MB of jars) …", file=sys.stderr)
            st = start()
            print(f"neo4j {st.describe()} ({time.monotonic() - t0:.1f} s{', built' if built else ''})")
        elif cmd == "stop":
            print("neo4j stopped" if stop() else "neo4j was not running")
        elif cmd == "status":
            st = status()
            print(f"neo4j {st.describe()}")
            return 0 if st.ours else 3
        elif cmd == "build":
            print("built" if build(force="--force" in args) else "up to date")
        else:
            print("usage: neo4j_server start|stop|status|build", file=sys.stderr)
            return 2
    except Neo4jServerError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
