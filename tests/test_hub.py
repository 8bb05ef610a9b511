"""The class hub (hub/jupyterhub_config.py) with 30 students: load, and students kept apart.

Marker ``hub``: left out of ``make test``; ``make test-hub`` runs it (as root, after building the
hub's two environments). It starts the hub exactly as configured for a class, on free ports of
127.0.0.1, with its state in ``build/hub-test/``, and then acts as the teacher and the students
do, over HTTP only:

* the teacher (``crmstuteach``, the configured admin) logs in and adds the students
  ``crmstu01`` … ``crmstu30``: the hub creates a system user for each;
* in waves (``CRM_HUB_WAVE`` students at the same moment, 10 by default), each student logs in
  (the first login sets the password), starts a server through the REST API, follows the
  course's nbgitpuller link (built by ``scripts/launch_links.py``) and pulls the student edition
  from a local git repository, then runs a chapter notebook in a kernel of that server, cell by
  cell over the kernel's websocket, as JupyterLab does;
* the report (printed, and written to ``build/hub-report/load_report.md`` and ``.json``) gives
  for each student the memory of that student's processes after the chapter, the time to the
  first chart, and the hub's own memory.

The isolation tests then check that a student reaches neither another student's files nor
their server, that a wrong password, another student's token and a made-up token are refused,
and that a student is no admin. Afterwards the servers are stopped and the system users
``crmstu*`` and their homes removed. ``CRM_HUB_STUDENTS`` (30) and ``CRM_HUB_NOTEBOOK`` change
the class size and the chapter.
"""

from __future__ import annotations

import json
import os
import pwd
import re
import shutil
import signal
import statistics
import struct
import subprocess
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

pytestmark = pytest.mark.hub

ROOT = Path(__file__).resolve().parents[1]
HUB_VENV = ROOT / ".venv-hub"
USER_ENV = ROOT / ".venv-hub-user"
WORK = ROOT / "build" / "hub-test"
REPORT = ROOT / "build" / "hub-report"
PREFIX = "crmstu"  # every system user this test creates starts with it, and is removed after
TEACHER = f"{PREFIX}teach"
STUDENTS = [f"{PREFIX}{i:02d}" for i in range(1, int(os.environ.get("CRM_HUB_STUDENTS", "30")) + 1)]
WAVE = int(os.environ.get("CRM_HUB_WAVE", "10"))
CHAPTER = os.environ.get("CRM_HUB_NOTEBOOK", "notebooks/01_identification/02_pareto_and_customer_value.ipynb")
FOLDER = "crm-course"  # the course's folder in each home: the name of the repository
MB = 1024 * 1024


def password(name: str) -> str:
    return f"pw-{name}-{name[::-1]}"


# --- the machine's view: system users and their processes ------------------------------------


def our_users() -> list[str]:
    return sorted(p.pw_name for p in pwd.getpwall() if p.pw_name.startswith(PREFIX))


def processes() -> list[dict]:
    """Every process: pid, parent, uid, RSS and PSS in bytes, CPU seconds."""
    found, tick = [], os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            rollup = (entry / "smaps_rollup").read_text()
        except OSError:
            continue  # ended meanwhile, or a kernel thread
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        pss = re.search(r"^Pss:\s+(\d+) kB", rollup, re.M)
        found.append(
            {
                "pid": int(entry.name),
                "ppid": int(fields["PPid"]),
                "uid": int(fields["Uid"].split()[0]),
                "rss": int(fields.get("VmRSS", "0 kB").split()[0]) * 1024,
                "pss": int(pss.group(1)) * 1024 if pss else 0,
                "cpu": (int(stat[11]) + int(stat[12])) / tick,
            }
        )
    return found


def memory_of_user(name: str) -> dict:
    uid = pwd.getpwnam(name).pw_uid
    mine = [p for p in processes() if p["uid"] == uid]
    kernels = [p for p in mine if b"ipykernel_launcher" in _cmdline(p["pid"])]
    return {
        "processes": len(mine),
        "rss_mb": sum(p["rss"] for p in mine) / MB,
        "kernel_rss_mb": sum(p["rss"] for p in kernels) / MB,
        "pss_mb": sum(p["pss"] for p in mine) / MB,
        "cpu_s": sum(p["cpu"] for p in mine),
    }


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def memory_of_hub(pid: int) -> dict:
    """The hub process and what it started as root (the proxy, the idle culler), not the students' servers."""
    procs = processes()
    children: dict[int, list[dict]] = {}
    for p in procs:
        children.setdefault(p["ppid"], []).append(p)
    tree, todo = [], [p for p in procs if p["pid"] == pid]
    while todo:
        p = todo.pop()
        if p["uid"] == 0:
            tree.append(p)
            todo.extend(children.get(p["pid"], []))
    return {
        "processes": len(tree),
        "rss_mb": sum(p["rss"] for p in tree) / MB,
        "pss_mb": sum(p["pss"] for p in tree) / MB,
    }


def remove_our_users() -> None:
    """Stop every process of a ``crmstu*`` user (by pid) and remove the users with their homes."""
    names = our_users()
    uids = {pwd.getpwnam(name).pw_uid for name in names}
    for sig in (signal.SIGTERM, signal.SIGKILL):
        deadline = time.monotonic() + 10
        for pid in [p["pid"] for p in processes() if p["uid"] in uids]:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        while [p for p in processes() if p["uid"] in uids] and time.monotonic() < deadline:
            time.sleep(0.2)
    for name in names:
        subprocess.run(["userdel", "--remove", name], check=True, capture_output=True)


def stop_proxy(pid_file: Path) -> None:
    """Stop the hub's proxy if it outlived the hub (the hub stops it, unless stopped while starting)."""
    try:
        pid = int(pid_file.read_text())
        alive = b"configurable-http-proxy" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except (OSError, ValueError):
        return
    if alive:
        os.kill(pid, signal.SIGTERM)


def as_user(name: str, *command: str) -> subprocess.CompletedProcess:
    return subprocess.run(["runuser", "-u", name, "--", *command], capture_output=True, text=True, cwd="/")


# --- the hub seen over HTTP --------------------------------------------------------------------


@dataclass
class Student:
    name: str
    session: object = None  # requests.Session holding the login cookies
    token: str = ""
    timings: dict = field(default_factory=dict)
    memory: dict = field(default_factory=dict)
    chapter: dict = field(default_factory=dict)


class Hub:
    def __init__(self, base: str, proc: subprocess.Popen, course_url: str):
        import requests

        self.requests = requests
        self.base, self.proc, self.course_url = base, proc, course_url
        self.students: dict[str, Student] = {}
        self.lock = threading.Lock()
        self.admin_token = ""

    def wait_for_hub(self, seconds: float = 120) -> None:
        """Until the hub answers through its proxy (the proxy answers 404 until the hub's route is in)."""
        deadline = time.monotonic() + seconds
        while self.requests.get(f"{self.base}/hub/api/", timeout=30).status_code != 200:
            assert time.monotonic() < deadline, f"the hub did not answer at {self.base} within {seconds:.0f} s"
            time.sleep(0.3)

    def login(self, name: str, secret: str):
        """A browser session after the login form; None when the hub refuses the login."""
        s = self.requests.Session()
        s.get(f"{self.base}/hub/login", timeout=60)
        r = s.post(
            f"{self.base}/hub/login",
            data={"username": name, "password": secret, "_xsrf": s.cookies.get("_xsrf", "")},
            allow_redirects=False,
            timeout=120,
        )
        return s if r.status_code == 302 and any(c.name.startswith("jupyterhub-") for c in s.cookies) else None

    def new_token(self, session, name: str) -> str:
        r = session.post(
            f"{self.base}/hub/api/users/{name}/tokens",
            json={"note": "hub load test", "expires_in": 7200},
            headers={"X-XSRFToken": session.cookies.get("_xsrf", "")},
            timeout=60,
        )
        assert r.status_code == 201, (r.status_code, r.text)
        return r.json()["token"]

    def api(self, method: str, path: str, token: str, **kw):
        headers = {"Authorization": f"token {token}", **kw.pop("headers", {})}
        return self.requests.request(method, f"{self.base}{path}", headers=headers, timeout=120, **kw)

    def wait_ready(self, name: str, token: str, seconds: float = 300) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            server = self.api("GET", f"/hub/api/users/{name}", token).json().get("servers", {}).get("", {})
            if server.get("ready"):
                return
            time.sleep(0.5)
        raise TimeoutError(f"{name}'s server was not ready within {seconds:.0f} s")

    def stop_servers(self, seconds: float = 120) -> None:
        """Stop every student's server through the REST API, as the teacher, and wait until all have stopped."""
        with ThreadPoolExecutor(max(len(self.students), 1)) as pool:  # the hub stops them side by side
            list(pool.map(lambda n: self.api("DELETE", f"/hub/api/users/{n}/server", self.admin_token), self.students))
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            users = self.api("GET", "/hub/api/users", self.admin_token).json()
            if not [u for u in users if u["servers"]]:
                return
            time.sleep(0.5)

    def student(self, name: str) -> Student:
        """``name`` logged in, with a running server and the course pulled (once; later calls reuse it)."""
        with self.lock:
            if name in self.students:
                return self.students[name]
        st, t0 = Student(name), time.monotonic()
        st.session = self.login(name, password(name))  # the first login sets the password
        assert st.session is not None, f"{name} could not log in"
        st.token = self.new_token(st.session, name)
        st.timings["login_s"] = time.monotonic() - t0
        r = self.api("POST", f"/hub/api/users/{name}/server", st.token)
        assert r.status_code in (201, 202), (r.status_code, r.text)
        self.wait_ready(name, st.token)
        st.timings["server_s"] = time.monotonic() - t0
        self.pull(st)
        st.timings["pulled_s"] = time.monotonic() - t0
        st.timings["t0"] = t0
        with self.lock:
            self.students[name] = st
        return st

    def pull(self, st: Student) -> None:
        """Click the course's nbgitpuller link, then run the pull its page runs (nbgitpuller's API)."""
        link = launch_links().nbgitpuller_url(self.base, CHAPTER, "unused/unused", git_url=self.course_url)
        deadline = time.monotonic() + 60
        while True:  # hub -> user-redirect -> the server's login -> git-pull page
            page = st.session.get(link, timeout=120)
            # a server that has just said "ready" may not be routed by the proxy yet: a 404 for a few seconds
            if page.status_code != 404 or time.monotonic() > deadline:
                break
            time.sleep(1)
        assert page.status_code == 200 and f"/user/{st.name}/git-pull" in page.url, (page.status_code, page.url)
        query = {"repo": self.course_url, "branch": "main", "targetpath": FOLDER}
        events = []
        with st.session.get(f"{self.base}/user/{st.name}/git-pull/api", params=query, stream=True, timeout=300) as r:
            assert r.status_code == 200, (r.status_code, r.text[:500])
            for line in r.iter_lines(decode_unicode=True):
                if line and line.startswith("data:"):
                    events.append(json.loads(line[5:]))
                    if events[-1].get("phase") in ("finished", "error"):
                        break
        assert events and events[-1]["phase"] == "finished", events[-3:]
        opened = link.split("urlpath=")[1].replace("%2F", "/").split("/", 2)[2]  # lab/tree/<this path>
        r = self.api("GET", f"/user/{st.name}/api/contents/{opened}?content=0", st.token)
        assert r.status_code == 200, f"the link opens {opened}, which the pull did not bring: {r.status_code}"

    def kernel(self, st: Student, notebook: str):
        """A session (as JupyterLab opens a notebook) and a websocket to its kernel."""
        import websocket

        r = self.api(
            "POST",
            f"/user/{st.name}/api/sessions",
            st.token,
            json={"path": notebook, "type": "notebook", "name": Path(notebook).name, "kernel": {"name": "python3"}},
        )
        assert r.status_code == 201, (r.status_code, r.text)
        kernel_id = r.json()["kernel"]["id"]
        url = self.base.replace("http://", "ws://") + f"/user/{st.name}/api/kernels/{kernel_id}/channels"
        ws = websocket.create_connection(
            f"{url}?session_id={uuid.uuid4().hex}", header=[f"Authorization: token {st.token}"], timeout=300
        )
        return ws, kernel_id


def execute(ws, code: str) -> dict:
    """Run ``code`` in the kernel; its outputs (text, errors, whether it drew an image) once it is idle."""
    msg_id = uuid.uuid4().hex
    ws.send(
        json.dumps(
            {
                "header": {
                    "msg_id": msg_id,
                    "msg_type": "execute_request",
                    "username": "",
                    "session": "hub-test",
                    "date": "",
                    "version": "5.3",
                },
                "parent_header": {},
                "metadata": {},
                "content": {"code": code, "silent": False, "store_history": True, "allow_stdin": False},
                "channel": "shell",
                "buffers": [],
            }
        )
    )
    out = {"stdout": "", "stderr": "", "errors": [], "image_at": None}
    idle = replied = False
    while not (idle and replied):
        msg = _message(ws.recv())
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        kind, content = msg["header"]["msg_type"], msg["content"]
        if kind == "execute_reply":
            replied = True
        elif kind == "status" and content.get("execution_state") == "idle":
            idle = True
        elif kind == "stream":
            out[content["name"]] += content["text"]
        elif kind == "error":
            out["errors"].append(f"{content['ename']}: {content['evalue']}")
        elif kind in ("display_data", "execute_result") and "image/png" in content.get("data", {}):
            out["image_at"] = out["image_at"] or time.monotonic()
    return out


def _message(frame) -> dict:
    """A kernel message from a websocket frame: JSON text, or (with binary buffers) JSON after an offset table."""
    if isinstance(frame, str):
        return json.loads(frame)
    count = struct.unpack("!I", frame[:4])[0]
    offsets = struct.unpack(f"!{count}I", frame[4 : 4 * (count + 1)])
    return json.loads(frame[offsets[0] : offsets[1] if count > 1 else None])


def launch_links():
    from script_loader import load_script

    return load_script("launch_links")


def run_chapter(hub: Hub, name: str) -> Student:
    """``name`` starts, pulls and runs the chapter notebook cell by cell; memory measured after it."""
    st = hub.student(name)
    notebook = f"{FOLDER}/{CHAPTER}"
    cells = hub.api("GET", f"/user/{name}/api/contents/{notebook}", st.token).json()["content"]["cells"]
    ws, _ = hub.kernel(st, notebook)
    try:
        start, first_chart, problems, ran = time.monotonic(), None, [], 0
        for cell in cells:
            if cell["cell_type"] != "code" or not "".join(cell["source"]).strip():
                continue
            out = execute(ws, "".join(cell["source"]))
            ran += 1
            first_chart = first_chart or out["image_at"]
            problems += out["errors"] + ([out["stderr"]] if out["stderr"] else [])
            if out["errors"]:
                break
        end = time.monotonic()
        who = execute(ws, "import os, pwd; print(pwd.getpwuid(os.getuid()).pw_name, os.getcwd())")["stdout"]
    finally:
        ws.close()
    st.chapter = {"cells": ran, "problems": problems, "runs_as": who.split()}
    st.timings.update(
        chapter_s=end - start,
        first_chart_s=None if first_chart is None else first_chart - start,
        click_to_chart_s=None if first_chart is None else first_chart - st.timings["t0"],
    )
    st.memory = memory_of_user(name)
    return st


# --- the hub for this module --------------------------------------------------------------------


@pytest.fixture(scope="module")
def hub():
    if os.geteuid() != 0 or shutil.which("useradd") is None:
        pytest.skip("the class hub runs as root and creates system users (run `make test-hub` as root)")
    for env in (HUB_VENV, USER_ENV):
        assert (env / ".installed").exists(), f"{env.name} is missing: run `make hub-env` (make test-hub does)"
    from servers import free_port, running

    if WORK.exists():
        shutil.rmtree(WORK)
    remove_our_users()  # left over from an interrupted run
    WORK.mkdir(parents=True)
    for folder in (WORK, *WORK.parents):  # the students' git must reach the course repository
        assert os.stat(folder).st_mode & 0o005 == 0o005 or folder == Path("/"), f"{folder} is not world-readable"
    course = WORK / "course" / FOLDER
    python = str(ROOT / ".venv" / "bin" / "python")
    # the student edition is built while the hub starts
    edition = subprocess.Popen(
        [python, "scripts/make_student.py", "--out", str(WORK / "student")],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    port = free_port()
    env = {
        "CRM_HUB_STATE": str(WORK / "state"),
        "CRM_HUB_COURSE": str(course),
        "CRM_HUB_ADMIN": TEACHER,
        "CRM_HUB_PORT": str(port),
        "CRM_HUB_API_PORT": str(free_port()),
        "CRM_HUB_PROXY_API_PORT": str(free_port()),
    }
    base = f"http://127.0.0.1:{port}"
    command = [str(HUB_VENV / "bin" / "jupyterhub"), "-f", str(ROOT / "hub" / "jupyterhub_config.py")]
    try:
        with running(command, f"{base}/hub/api/", WORK, WORK / "hub.log", env) as proc:
            h = Hub(base, proc, f"file://{course}")
            h.wait_for_hub()
            teacher = h.login(TEACHER, password(TEACHER))
            assert teacher is not None, "the teacher (admin) could not log in"
            h.admin_token = h.new_token(teacher, TEACHER)
            r = h.api("POST", "/hub/api/users", h.admin_token, json={"usernames": STUDENTS})
            assert r.status_code == 201, (r.status_code, r.text)
            _, errors = edition.communicate()
            assert edition.returncode == 0, errors[-3000:]
            subprocess.run(
                [python, "hub/prepare.py", "course", str(WORK / "student"), str(course)], cwd=ROOT, check=True
            )
            yield h
            h.stop_servers()
    finally:
        if edition.poll() is None:
            edition.kill()
            edition.communicate()
        stop_proxy(WORK / "state" / "jupyterhub-proxy.pid")  # left running when the hub stops mid-start
        remove_our_users()
        shutil.rmtree(WORK / "state", ignore_errors=True)
    assert our_users() == []
    assert not [p for p in Path("/home").iterdir() if p.name.startswith(PREFIX)]


# --- the load test ------------------------------------------------------------------------------


def test_thirty_students_pull_the_course_and_run_a_chapter(hub):
    available_before, load_before = _mem_available_mb(), os.getloadavg()[0]
    started = time.monotonic()
    done: list[Student] = []
    for i in range(0, len(STUDENTS), WAVE):
        with ThreadPoolExecutor(WAVE) as pool:
            done += list(pool.map(lambda name: run_chapter(hub, name), STUDENTS[i : i + WAVE]))
    elapsed = time.monotonic() - started
    hub_memory = memory_of_hub(hub.proc.pid)
    report = _report(done, hub_memory, elapsed, available_before, load_before)
    print(report["text"])
    REPORT.mkdir(parents=True, exist_ok=True)
    (REPORT / "load_report.md").write_text(report["text"], encoding="utf-8")
    (REPORT / "load_report.json").write_text(json.dumps(report["data"], indent=1), encoding="utf-8")

    for st in done:
        assert st.chapter["problems"] == [], (st.name, st.chapter["problems"][:3])
        assert st.chapter["runs_as"][0] == st.name, st.chapter  # the kernel runs as the student
        assert st.chapter["runs_as"][1].startswith(pwd.getpwnam(st.name).pw_dir)
        assert st.timings["first_chart_s"] is not None, f"{st.name} saw no chart"
        assert st.memory["processes"] >= 2 and st.memory["rss_mb"] > 50  # a server and a kernel
    # every server process of the class runs as its student, none as root
    for name in STUDENTS:
        home = pwd.getpwnam(name).pw_dir
        assert os.stat(home).st_uid == pwd.getpwnam(name).pw_uid and os.stat(home).st_mode & 0o777 == 0o700
    assert hub_memory["processes"] >= 3  # the hub, the proxy, the idle culler


def _mem_available_mb() -> float:
    line = next(x for x in Path("/proc/meminfo").read_text().splitlines() if x.startswith("MemAvailable"))
    return int(line.split()[1]) / 1024


def _report(done: list[Student], hub_memory: dict, elapsed: float, available_before: float, load: float) -> dict:
    def stats(values):
        values = sorted(v for v in values if v is not None)
        return {"median": statistics.median(values), "max": values[-1], "min": values[0]}

    summary = {
        "students": len(done),
        "wave": WAVE,
        "chapter": CHAPTER,
        "cores": os.cpu_count(),
        "elapsed_s": elapsed,
        "rss_mb": stats(st.memory["rss_mb"] for st in done),
        "pss_mb": stats(st.memory["pss_mb"] for st in done),
        "kernel_rss_mb": stats(st.memory["kernel_rss_mb"] for st in done),
        "cpu_s": stats(st.memory["cpu_s"] for st in done),
        "server_s": stats(st.timings["server_s"] for st in done),
        "first_chart_s": stats(st.timings["first_chart_s"] for st in done),
        "click_to_chart_s": stats(st.timings["click_to_chart_s"] for st in done),
        "chapter_s": stats(st.timings["chapter_s"] for st in done),
        "hub": hub_memory,
        "students_rss_total_mb": sum(st.memory["rss_mb"] for st in done),
        "memory_used_mb": available_before - _mem_available_mb(),
        "load_average_before": load,
        "machine_memory_gb": os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3,
    }
    # The README's capacity rule, from these figures: memory for one chapter per student, with 1 GB
    # for the system and the hub; CPU so that a whole class starting at once sees its first chart
    # within about 30 seconds.
    summary["capacity"] = {
        "by_memory": int((summary["machine_memory_gb"] - 1) * 1024 / summary["rss_mb"]["max"]),
        "by_cpu_30s": int(30 * os.cpu_count() / summary["cpu_s"]["median"]),
    }
    lines = [
        f"# Class hub load test: {len(done)} students, waves of {WAVE}, {os.cpu_count()} cores",
        "",
        f"Chapter: `{CHAPTER}`. Whole run: {elapsed:.0f} s. Load average before the run: {load:.1f} "
        "(other work on the machine slows every time below; memory and CPU seconds do not depend on it).",
        "",
        "| student | server ready s | pulled s | first chart s | click to chart s | chapter s | RSS MB | PSS MB"
        " | CPU s |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for st in done:
        t, m = st.timings, st.memory
        lines.append(
            f"| {st.name} | {t['server_s']:.1f} | {t['pulled_s']:.1f} | {t['first_chart_s']:.1f} | "
            f"{t['click_to_chart_s']:.1f} | {t['chapter_s']:.1f} | {m['rss_mb']:.0f} | {m['pss_mb']:.0f} | "
            f"{m['cpu_s']:.1f} |"
        )
    s = summary
    lines += [
        "",
        f"- Memory per student after the chapter (server and kernel): RSS median {s['rss_mb']['median']:.0f} MB, "
        f"max {s['rss_mb']['max']:.0f} MB (PSS median {s['pss_mb']['median']:.0f} MB); of which the kernel: "
        f"median {s['kernel_rss_mb']['median']:.0f} MB.",
        f"- CPU per student (start, pull, chapter): median {s['cpu_s']['median']:.1f} s, "
        f"max {s['cpu_s']['max']:.1f} s.",
        f"- Time to the first chart, from the chapter's first cell: median {s['first_chart_s']['median']:.1f} s, "
        f"max {s['first_chart_s']['max']:.1f} s; from the login: median {s['click_to_chart_s']['median']:.1f} s, "
        f"max {s['click_to_chart_s']['max']:.1f} s.",
        f"- Server start (login to ready): median {s['server_s']['median']:.1f} s, max {s['server_s']['max']:.1f} s.",
        f"- The hub (JupyterHub, proxy, idle culler; {hub_memory['processes']} processes): "
        f"RSS {hub_memory['rss_mb']:.0f} MB, PSS {hub_memory['pss_mb']:.0f} MB, with {len(done)} servers running.",
        f"- All students together: RSS {s['students_rss_total_mb']:.0f} MB; the machine's available memory "
        f"fell by {s['memory_used_mb']:.0f} MB.",
        f"- Capacity of this machine ({s['machine_memory_gb']:.0f} GB, {os.cpu_count()} cores): "
        f"memory for about {s['capacity']['by_memory']} students at once "
        f"(({s['machine_memory_gb']:.0f} GB - 1 GB) / {s['rss_mb']['max']:.0f} MB); CPU for about "
        f"{s['capacity']['by_cpu_30s']} students starting together who see their first chart within 30 s "
        f"(30 s x {os.cpu_count()} cores / {s['cpu_s']['median']:.1f} CPU s).",
    ]
    return {"text": "\n".join(lines) + "\n", "data": {"summary": summary, "students": [_record(st) for st in done]}}


def _record(st: Student) -> dict:
    timings = {k: v for k, v in st.timings.items() if k != "t0"}
    return {"name": st.name, "timings": timings, "memory": st.memory, "chapter": st.chapter}


# --- students kept apart ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pair(hub):
    """Two students with running servers and the course pulled: A (the one who tries) and B."""
    return hub.student(STUDENTS[0]), hub.student(STUDENTS[1])


def server_port(name: str) -> int:
    """The port B's server listens on (read as root from its environment, which B's processes keep private)."""
    uid = pwd.getpwnam(name).pw_uid
    for p in processes():
        if p["uid"] != uid:
            continue
        environ = Path(f"/proc/{p['pid']}/environ").read_bytes().split(b"\0")
        for item in environ:
            if item.startswith(b"JUPYTERHUB_SERVICE_URL="):
                return int(re.search(rb":(\d+)/", item).group(1))
    raise AssertionError(f"no server process of {name}")


def test_a_student_is_not_an_admin(hub, pair):
    a, b = pair
    me = hub.api("GET", "/hub/api/user", a.token).json()
    assert me["name"] == a.name and me["admin"] is False
    listed = hub.api("GET", "/hub/api/users", a.token)
    assert listed.status_code == 403 or [u["name"] for u in listed.json()] == [a.name]
    assert hub.api("POST", "/hub/api/users", a.token, json={"usernames": [f"{PREFIX}zz"]}).status_code == 403
    assert hub.api("PATCH", f"/hub/api/users/{a.name}", a.token, json={"admin": True}).status_code in (403, 404)
    assert a.session.get(f"{hub.base}/hub/admin", timeout=60).status_code == 403
    assert hub.api("GET", "/hub/api/user", a.token).json()["admin"] is False
    assert f"{PREFIX}zz" not in our_users()


def test_a_student_cannot_reach_another_students_server(hub, pair):
    a, b = pair
    # the hub's REST API: B's record, B's server, a token in B's name
    assert hub.api("GET", f"/hub/api/users/{b.name}", a.token).status_code in (403, 404)
    assert hub.api("DELETE", f"/hub/api/users/{b.name}/server", a.token).status_code in (403, 404)
    assert hub.api("POST", f"/hub/api/users/{b.name}/tokens", a.token, json={}).status_code in (403, 404)
    # B's server through the proxy, with A's token and with A's browser session
    for path in ("api/contents", f"api/contents/{FOLDER}", "api/kernels", "api/sessions"):
        assert hub.api("GET", f"/user/{b.name}/{path}", a.token).status_code == 403, path
    r = hub.api("POST", f"/user/{b.name}/api/kernels", a.token, json={"name": "python3"})
    assert r.status_code == 403
    assert a.session.get(f"{hub.base}/user/{b.name}/lab", timeout=120).status_code == 403
    # B's server directly on its port, around the proxy
    direct = f"http://127.0.0.1:{server_port(b.name)}/user/{b.name}/api/contents"
    r = hub.requests.get(direct, headers={"Authorization": f"token {a.token}"}, timeout=60)
    assert r.status_code == 403
    assert hub.requests.get(direct, timeout=60).status_code == 403
    # the server still answers B
    assert hub.api("GET", f"/user/{b.name}/api/contents/{FOLDER}", b.token).status_code == 200


def test_a_student_cannot_read_another_students_files(hub, pair):
    a, b = pair
    home_b = Path(pwd.getpwnam(b.name).pw_dir)
    secret = home_b / FOLDER / CHAPTER
    assert secret.is_file()  # pulled into B's home
    assert os.stat(home_b).st_mode & 0o777 == 0o700 and os.stat(home_b).st_uid == pwd.getpwnam(b.name).pw_uid
    # the filesystem, as A's system user
    for command in (["ls", str(home_b)], ["cat", str(secret)], ["cp", str(secret), "/tmp/stolen.ipynb"]):
        done = as_user(a.name, *command)
        assert done.returncode != 0 and "Permission denied" in done.stderr, (command, done.stderr)
    assert not Path("/tmp/stolen.ipynb").exists()
    # B's server keeps B's token in its environment: A cannot read it
    pid = next(p["pid"] for p in processes() if p["uid"] == pwd.getpwnam(b.name).pw_uid)
    assert as_user(a.name, "cat", f"/proc/{pid}/environ").returncode != 0
    # from A's own kernel
    ws, _ = hub.kernel(a, f"{FOLDER}/{CHAPTER}")
    try:
        out = execute(ws, f"open({str(secret)!r}).read()")
        assert out["errors"] and out["errors"][0].startswith("PermissionError"), out
        out = execute(ws, f"import os; os.listdir({str(home_b)!r})")
        assert out["errors"] and out["errors"][0].startswith("PermissionError"), out
    finally:
        ws.close()
    # A's contents API stops at A's home
    for path in (f"../{b.name}/{FOLDER}", f"%2E%2E/{b.name}", f"{home_b}/{FOLDER}"):
        r = hub.api("GET", f"/user/{a.name}/api/contents/{path}", a.token)
        assert r.status_code in (400, 403, 404), (path, r.status_code)


def test_wrong_password_and_other_tokens_are_refused(hub, pair):
    a, b = pair
    assert hub.login(a.name, password(a.name) + "x") is None
    assert hub.login(a.name, password(b.name)) is None
    assert hub.login(f"{PREFIX}zz", "a-password-long-enough") is None  # a name the teacher did not add
    assert f"{PREFIX}zz" not in our_users()
    # B's token does not act for A, at the hub or at A's server
    assert hub.api("GET", f"/hub/api/users/{a.name}", b.token).status_code in (403, 404)
    assert hub.api("GET", f"/user/{a.name}/api/contents/{FOLDER}", b.token).status_code == 403
    assert hub.api("GET", "/hub/api/user", b.token).json()["name"] == b.name
    # a made-up token is no one's
    fake = uuid.uuid4().hex
    assert hub.api("GET", "/hub/api/user", fake).status_code == 403
    assert hub.api("GET", f"/user/{a.name}/api/contents", fake).status_code == 403
    # and A's own still works
    assert hub.api("GET", f"/user/{a.name}/api/contents/{FOLDER}", a.token).status_code == 200


def test_the_students_environment_has_crmlib_without_its_answers(hub, pair):
    a, _ = pair
    ws, _ = hub.kernel(a, f"{FOLDER}/{CHAPTER}")
    try:
        out = execute(ws, "import crmlib, crmlib.exercises, crmlib.identify; print(crmlib.__file__)")
        assert out["errors"] == [] and str(USER_ENV) in out["stdout"], out
        out = execute(ws, "import crmlib.exercise_sets")
        assert out["errors"] == ["ModuleNotFoundError: No module named 'crmlib.exercise_sets'"], out
        out = execute(ws, "import os; print(os.environ['CRMLIB_DATA'])")
        assert out["stdout"].strip() == str(USER_ENV / "share" / "crm-course" / "datasets")
    finally:
        ws.close()
    wheel = USER_ENV / "lib"
    assert not list(wheel.glob("python3*/site-packages/crmlib/exercise_sets"))
    assert list(wheel.glob("python3*/site-packages/crmlib/exercises.py"))


def test_the_teacher_resets_a_forgotten_password(hub):
    """As the README says: delete the user and add the name again; the home folder stays."""
    name = f"{PREFIX}reset"
    assert hub.api("POST", "/hub/api/users", hub.admin_token, json={"usernames": [name]}).status_code == 201
    assert hub.login(name, "the-first-password") is not None
    home = Path(pwd.getpwnam(name).pw_dir)
    (home / "work.txt").write_text("my notes")
    assert hub.api("DELETE", f"/hub/api/users/{name}", hub.admin_token).status_code == 204
    assert hub.login(name, "the-first-password") is None  # no longer a user of the hub
    assert hub.api("POST", "/hub/api/users", hub.admin_token, json={"usernames": [name]}).status_code == 201
    assert hub.login(name, "a-new-password") is not None  # the next login sets the password again
    assert hub.login(name, "the-first-password") is None
    assert (home / "work.txt").read_text() == "my notes"


def test_the_idle_culler_runs_with_the_rights_it_needs(hub):
    services = hub.api("GET", "/hub/api/services", hub.admin_token).json()
    assert "--timeout=3600" in services["idle-culler"]["command"]
    # its first round lists the users and their servers: refused, it would log 403
    log = (WORK / "hub.log").read_text(errors="replace")
    assert re.search(r" 200 GET /hub/api/users\?state=\S* \(idle-culler@127\.0\.0\.1\)", log)
    assert not re.search(r" 403 \w+ \S+ \(idle-culler@", log)
