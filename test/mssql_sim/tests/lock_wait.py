#!/usr/bin/env python3
"""
test/mssql_sim/tests/lock_wait.py: lock waits over TDS, which a
single-threaded sim_cli script cannot show (tests/lock_timeout.sql covers
SET LOCK_TIMEOUT).

  - by default (LOCK_TIMEOUT -1) a writer waits for the write lock as long
    as it takes (longer than the 10 s SQLite timeout the stand-in used to
    have), and goes on when the holder commits;
  - an attention ends the wait at once: no 1222, DONE(ATTN) follows, and the
    connection goes on.

Reuses the TDS client of ../tds_protocol_test.py.  Prints TAP.

    python3 test/mssql_sim/tests/lock_wait.py
"""
import os
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import tds_protocol_test as t  # noqa: E402

WAIT = float(os.environ.get("LOCK_WAIT_SECONDS", "11"))


def errors(toks):
    return [x[1][0] for x in toks if x[0] == "ERROR"]


def main():
    tmp = tempfile.mkdtemp(prefix="mssql_sim_lockwait.")
    inst = t.Instance(tmp, "plain")
    try:
        a = t.Tds(inst.port)
        a.login()
        b = t.Tds(inst.port)
        b.login()
        a.query("CREATE TABLE dbo.l (id int PRIMARY KEY, v int)")
        a.query("INSERT INTO dbo.l VALUES (1, 0)")

        # 1. waits for ever (here: WAIT seconds), then runs
        a.query("BEGIN TRAN; UPDATE dbo.l SET v = 1 WHERE id = 1")
        b.batch("UPDATE dbo.l SET v = 2 WHERE id = 1")
        b.sock.settimeout(WAIT)
        try:
            b.read_message()
            answered = True
        except OSError:            # socket.timeout: still waiting
            answered = False
        t.check("a writer still waits for the lock after %.0f s" % WAIT, not answered)
        b.sock.settimeout(30)
        a.query("COMMIT")
        data, _ = b.read_message()
        toks = t.parse_tokens(data)
        t.check_eq("... and updates once the holder commits", [], errors(toks))
        t.check_eq("... one row", 1, [x[1][2] for x in toks if x[0] == "DONE"][-1])

        # 2. an attention ends the wait without an error
        a.query("BEGIN TRAN; UPDATE dbo.l SET v = 3 WHERE id = 1")
        b.batch("UPDATE dbo.l SET v = 4 WHERE id = 1")
        time.sleep(0.5)
        t0 = time.time()
        b.send_packet(0x06, b"")
        data, _ = b.read_message()
        toks = t.parse_tokens(data)
        t.check_eq("attention during a lock wait: no error", [], errors(toks))
        data, _ = b.read_message()
        t.check_eq("... acknowledged by DONE(ATTN)", [("DONE", (0x20, 0, 0))], t.parse_tokens(data))
        t.check("... within a second", time.time() - t0 < 1.0, "%.3f s" % (time.time() - t0))
        a.query("COMMIT")
        data, _ = b.query("SELECT v FROM dbo.l WHERE id = 1")
        t.check_eq("... the connection goes on; the cancelled update did nothing", [3],
                   [x[1] for x in t.parse_tokens(data) if x[0] == "ROW"][0])

        # 3. SET LOCK_TIMEOUT over the wire
        a.query("BEGIN TRAN; UPDATE dbo.l SET v = 5 WHERE id = 1")
        t0 = time.time()
        data, _ = b.query("SET LOCK_TIMEOUT 300; UPDATE dbo.l SET v = 6 WHERE id = 1")
        dt = time.time() - t0
        t.check_eq("SET LOCK_TIMEOUT 300: error 1222", [1222], errors(t.parse_tokens(data)))
        t.check("... after about 300 ms", 0.25 < dt < 2.0, "%.3f s" % dt)
        a.query("COMMIT")
    finally:
        inst.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    print("1..%d" % t.n_checks)
    return 1 if t.n_failed else 0


if __name__ == "__main__":
    sys.exit(main())
