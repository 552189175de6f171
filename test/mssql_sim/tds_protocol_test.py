#!/usr/bin/env python3
"""
test/mssql_sim/tds_protocol_test.py: wire-level tests of the stand-in's
protocol side (PRELOGIN, TLS inside PRELOGIN packets, LOGIN7, login
response, packet splitting, attention, IGNORE, RESETCONNECTION, TDS 7.1,
NBCROW, RPC by ProcID, statement log).

Client libraries hide exactly the bytes these tests look at, so the test
speaks TDS itself (Python standard library only; TLS through ssl.MemoryBIO).
It starts its own stand-in instances (without TLS, with TLS, with
--force-encryption) on free loopback ports and stops them at the end.

    python3 test/mssql_sim/tds_protocol_test.py     # after make -C test/mssql_sim

Output is TAP; the exit status is 0 only when every check passed.
"""
import os
import shutil
import signal
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SIM = os.path.join(HERE, "mssql_sim")
PASSWORD = "Proto_Test_Pw1!"

# --------------------------------------------------------------------------
# TAP helpers
# --------------------------------------------------------------------------
n_checks = 0
n_failed = 0


def check(name, ok, detail=""):
    global n_checks, n_failed
    n_checks += 1
    if ok:
        print("ok %d - %s" % (n_checks, name))
    else:
        n_failed += 1
        print("not ok %d - %s" % (n_checks, name))
        if detail:
            for line in str(detail).splitlines():
                print("#   " + line)


def check_eq(name, expected, actual):
    check(name, expected == actual, "expected: %r\ngot:      %r" % (expected, actual))


# --------------------------------------------------------------------------
# A minimal TDS client
# --------------------------------------------------------------------------
ENC_OFF, ENC_ON, ENC_NOT_SUP, ENC_REQ = 0, 1, 2, 3


class Closed(Exception):
    pass


class Tds:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.ssl = None          # SSLObject once TLS runs on the stream
        self.inc = self.out = None
        self.rbuf = b""

    # ---- raw transport ----------------------------------------------------
    def _send(self, data):
        if self.ssl:
            self.ssl.write(data)
            self.sock.sendall(self.out.read())
        else:
            self.sock.sendall(data)

    def _recv_some(self):
        if self.ssl:
            while True:
                try:
                    return self.ssl.read(65536)
                except ssl.SSLWantReadError:
                    d = self.sock.recv(65536)
                    if not d:
                        raise Closed()
                    self.inc.write(d)
        d = self.sock.recv(65536)
        if not d:
            raise Closed()
        return d

    def _recv_exact(self, n):
        while len(self.rbuf) < n:
            self.rbuf += self._recv_some()
        d, self.rbuf = self.rbuf[:n], self.rbuf[n:]
        return d

    # ---- packets ------------------------------------------------------------
    def send_packet(self, ptype, data, status=1):
        self._send(bytes([ptype, status]) + struct.pack(">H", len(data) + 8)
                   + b"\x00\x00\x01\x00" + data)

    def send_message(self, ptype, data, size=4096, first_status=0):
        chunks = [data[i:i + size - 8] for i in range(0, len(data), size - 8)] or [b""]
        for i, c in enumerate(chunks):
            st = (1 if i == len(chunks) - 1 else 0) | (first_status if i == 0 else 0)
            self.send_packet(ptype, c, st)

    def read_message(self):
        """Returns (payload, [(type, status, length, spid), ...])."""
        data, pkts = b"", []
        while True:
            h = self._recv_exact(8)
            ln = struct.unpack(">H", h[2:4])[0]
            body = self._recv_exact(ln - 8)
            pkts.append((h[0], h[1], ln, struct.unpack(">H", h[4:6])[0]))
            data += body
            if h[1] & 1:
                return data, pkts

    def is_closed(self):
        try:
            self.sock.settimeout(5)
            return self._recv_some() == b""
        except (Closed, ConnectionResetError):
            return True
        except socket.timeout:
            return False

    # ---- PRELOGIN and TLS -------------------------------------------------
    def prelogin(self, enc):
        opts = [(0, b"\x09\x00\x00\x00\x00\x00"), (1, bytes([enc])), (2, b"\x00"),
                (3, b"\x00\x00\x00\x00"), (4, b"\x00")]
        off = 5 * len(opts) + 1
        table, data = b"", b""
        for tok, val in opts:
            table += bytes([tok]) + struct.pack(">HH", off + len(data), len(val))
            data += val
        self.send_packet(0x12, table + b"\xff" + data)
        reply, pkts = self.read_message()
        i, found = 0, None
        while reply[i] != 0xFF:
            tok, o, ln = reply[i], *struct.unpack(">HH", reply[i + 1:i + 5])
            if tok == 1:
                found = reply[o]
            i += 5
        return found, pkts

    def tls_handshake(self):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        self.inc, self.out = ssl.MemoryBIO(), ssl.MemoryBIO()
        obj = ctx.wrap_bio(self.inc, self.out)
        flights = 0
        while True:
            try:
                obj.do_handshake()
                break
            except ssl.SSLWantReadError:
                self.send_packet(0x12, self.out.read())
                data, pkts = self.read_message()
                flights += 1
                if any(p[0] != 0x12 for p in pkts):
                    raise AssertionError("handshake reply not in 0x12 packets")
                self.inc.write(data)
        self.ssl = obj
        return obj.version(), flights

    def tls_off(self):
        self.ssl = None

    # ---- LOGIN7 -----------------------------------------------------------
    def login7(self, user="sa", password=PASSWORD, database="",
               version=b"\x04\x00\x00\x74", packet_size=4096):
        fields = [("host", "protocol-test"), ("user", user), ("pw", password),
                  ("app", "tds_protocol_test"), ("server", "127.0.0.1"),
                  ("ext", ""), ("lib", "py"), ("lang", ""), ("db", database)]
        fixed = bytearray(94)
        fixed[4:8] = version
        fixed[8:12] = struct.pack("<I", packet_size)
        fixed[24], fixed[25], fixed[27] = 0xE0, 0x03, 0x00
        var = b""
        pos = 36
        for name, val in fields:
            enc = val.encode("utf-16-le")
            if name == "pw":
                enc = bytes((((b << 4) | (b >> 4)) & 0xFF) ^ 0xA5 for b in enc)
            fixed[pos:pos + 4] = struct.pack("<HH", 94 + len(var), len(val))
            var += enc
            pos += 4
        body = bytes(fixed) + var
        body = struct.pack("<I", len(body)) + body[4:]
        self.send_packet(0x10, body)

    def login(self, **kw):
        self.prelogin(ENC_NOT_SUP)
        self.login7(**kw)
        return self.read_message()

    # ---- requests -----------------------------------------------------------
    @staticmethod
    def all_headers():
        return struct.pack("<IIH", 22, 18, 2) + b"\x00" * 8 + struct.pack("<I", 1)

    def batch(self, sql, status=0, headers=True):
        self.send_message(0x01, (self.all_headers() if headers else b"")
                          + sql.encode("utf-16-le"), first_status=status)

    def query(self, sql, **kw):
        self.batch(sql, **kw)
        return self.read_message()


# --------------------------------------------------------------------------
# Token walker (enough for the types these tests use)
# --------------------------------------------------------------------------
def bvarchar(b, i):
    n = b[i]
    return b[i + 1:i + 1 + 2 * n].decode("utf-16-le"), i + 1 + 2 * n


def parse_tokens(b, rowcount_len=8, usertype_len=4):
    """Returns a list of (name, info) tuples (lengths differ before TDS 7.2)."""
    toks, i, cols = [], 0, []
    while i < len(b):
        t = b[i]
        i += 1
        if t in (0xFD, 0xFE, 0xFF):
            st, cmd = struct.unpack("<HH", b[i:i + 4])
            rc = int.from_bytes(b[i + 4:i + 4 + rowcount_len], "little")
            toks.append(({0xFD: "DONE", 0xFE: "DONEPROC", 0xFF: "DONEINPROC"}[t],
                         (st, cmd, rc)))
            i += 4 + rowcount_len
        elif t in (0xE3, 0xAA, 0xAB, 0xAD):
            ln = struct.unpack("<H", b[i:i + 2])[0]
            body = b[i + 2:i + 2 + ln]
            i += 2 + ln
            if t == 0xE3:
                toks.append(("ENVCHANGE", (body[0], body[1:])))
            elif t == 0xAD:
                toks.append(("LOGINACK", body))
            else:
                num, state, cls = struct.unpack("<iBB", body[:6])
                mlen = struct.unpack("<H", body[6:8])[0]
                msg = body[8:8 + 2 * mlen].decode("utf-16-le")
                toks.append(("ERROR" if t == 0xAA else "INFO", (num, cls, msg)))
        elif t == 0x79:
            toks.append(("RETURNSTATUS", struct.unpack("<i", b[i:i + 4])[0]))
            i += 4
        elif t == 0x81:
            n = struct.unpack("<H", b[i:i + 2])[0]
            i += 2
            cols = []
            for _ in range(n):
                i += usertype_len + 2      # UserType, Flags
                ty = b[i]
                i += 1
                if ty in (0x26, 0x68, 0x6D, 0x6E, 0x6F, 0x24):
                    info = b[i]
                    i += 1
                elif ty in (0xE7, 0xA7, 0xEF, 0xAF):
                    info = struct.unpack("<H", b[i:i + 2])[0]
                    i += 7
                elif ty in (0x30, 0x34, 0x38, 0x7F, 0x32, 0x3B, 0x3E):
                    info = {0x30: 1, 0x34: 2, 0x38: 4, 0x7F: 8, 0x32: 1, 0x3B: 4, 0x3E: 8}[ty]
                else:
                    raise AssertionError("walker: type 0x%02X" % ty)
                name, i = bvarchar(b, i)
                cols.append((ty, info, name))
            toks.append(("COLMETADATA", cols))
        elif t in (0xD1, 0xD2):
            nulls = [False] * len(cols)
            if t == 0xD2:
                nb = (len(cols) + 7) // 8
                bm = b[i:i + nb]
                i += nb
                nulls = [bool(bm[k // 8] & (1 << (k % 8))) for k in range(len(cols))]
            row = []
            for (ty, info, _), isnull in zip(cols, nulls):
                if isnull:
                    row.append(None)
                elif ty in (0x30, 0x34, 0x38, 0x7F, 0x32, 0x3B, 0x3E):
                    row.append(int.from_bytes(b[i:i + info], "little", signed=ty != 0x30))
                    i += info
                elif ty in (0xE7, 0xA7, 0xEF, 0xAF):
                    ln = struct.unpack("<H", b[i:i + 2])[0]
                    i += 2
                    if ln == 0xFFFF:
                        row.append(None)
                    else:
                        raw = b[i:i + ln]
                        row.append(raw.decode("utf-16-le" if ty in (0xE7, 0xEF) else "cp1252"))
                        i += ln
                else:
                    ln = b[i]
                    i += 1
                    row.append(None if ln == 0 else int.from_bytes(b[i:i + ln], "little", signed=True))
                    i += ln
            toks.append(("NBCROW" if t == 0xD2 else "ROW", row))
        else:
            raise AssertionError("walker: token 0x%02X at %d" % (t, i - 1))
    return toks


def names(toks):
    return [t[0] for t in toks]


# --------------------------------------------------------------------------
# Stand-in instances
# --------------------------------------------------------------------------
def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


class Instance:
    def __init__(self, tmp, name, *args):
        self.port = free_port()
        self.dir = os.path.join(tmp, name)
        os.makedirs(self.dir)
        self.log = os.path.join(self.dir, "statements.log")
        self.stderr = open(os.path.join(self.dir, "server.log"), "w+")
        self.proc = subprocess.Popen(
            [SIM, "--port", str(self.port), "--dir", os.path.join(self.dir, "data"),
             "--sa-password", PASSWORD, "--log-statements", self.log] + list(args),
            stderr=self.stderr, stdout=subprocess.DEVNULL)
        for _ in range(600):
            self.stderr.seek(0)
            if "ready on" in self.stderr.read():
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        self.stderr.seek(0)
        raise SystemExit("Bail out! stand-in %s did not start: %s" % (name, self.stderr.read()))

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return None


# --------------------------------------------------------------------------
# The tests
# --------------------------------------------------------------------------
def test_prelogin_and_tls(plain, tls, force):
    c = Tds(plain.port)
    enc, pkts = c.prelogin(ENC_ON)
    check_eq("no certificate: PRELOGIN answers NOT_SUP", ENC_NOT_SUP, enc)
    check_eq("PRELOGIN reply is one packet of type 0x04 with EOM", [(4, 1)],
             [(p[0], p[1]) for p in pkts])

    for client, want in ((ENC_OFF, ENC_OFF), (ENC_ON, ENC_ON), (ENC_NOT_SUP, ENC_NOT_SUP),
                         (ENC_REQ, ENC_ON)):
        enc, _ = Tds(tls.port).prelogin(client)
        check_eq("certificate: client %d gets %d" % (client, want), want, enc)
    for client, want in ((ENC_OFF, ENC_REQ), (ENC_ON, ENC_ON)):
        enc, _ = Tds(force.port).prelogin(client)
        check_eq("--force-encryption: client %d gets %d" % (client, want), want, enc)
    c = Tds(force.port)
    enc, _ = c.prelogin(ENC_NOT_SUP)
    check("--force-encryption: client NOT_SUP gets REQ and is disconnected",
          enc == ENC_REQ and c.is_closed(), "answer %r" % enc)

    # full encryption
    c = Tds(tls.port)
    c.prelogin(ENC_ON)
    version, flights = c.tls_handshake()
    check_eq("TLS is capped at 1.2", "TLSv1.2", version)
    c.login7()
    data, _ = c.read_message()
    check("full TLS: login succeeds", "LOGINACK" in names(parse_tokens(data)))
    data, _ = c.query("SELECT 1 AS one")
    check_eq("full TLS: query result", ["COLMETADATA", "ROW", "DONE"], names(parse_tokens(data)))

    # login-only encryption: only LOGIN7 goes through TLS
    c = Tds(tls.port)
    c.prelogin(ENC_OFF)
    c.tls_handshake()
    c.login7()
    c.tls_off()
    data, _ = c.read_message()
    check("login-only TLS: login response in clear text", "LOGINACK" in names(parse_tokens(data)))
    data, _ = c.query("SELECT 1 AS one")
    check_eq("login-only TLS: query in clear text", ["COLMETADATA", "ROW", "DONE"],
             names(parse_tokens(data)))


def test_login(plain):
    c = Tds(plain.port)
    c.prelogin(ENC_NOT_SUP)
    c.login7(packet_size=8192)
    data, pkts = c.read_message()
    toks = parse_tokens(data)
    shape = []
    for name, info in toks:
        if name == "ENVCHANGE":
            shape.append("ENVCHANGE %d" % info[0])
        elif name == "INFO":
            shape.append("INFO %d" % info[0])
        else:
            shape.append(name)
    check_eq("login response tokens in the MS-TDS order",
             ["ENVCHANGE 1", "INFO 5701", "ENVCHANGE 7", "ENVCHANGE 2", "ENVCHANGE 4",
              "INFO 5703", "LOGINACK", "DONE"], shape)
    env = {info[0]: info[1] for name, info in toks if name == "ENVCHANGE"}
    check_eq("collation is SQL_Latin1_General_CP1_CI_AS", b"\x05\x09\x04\xd0\x00\x34\x00", env[7])
    check_eq("packet size granted as requested", "8192", bvarchar(env[4], 0)[0])
    ack = [info for name, info in toks if name == "LOGINACK"][0]
    check_eq("LOGINACK: interface 1, TDS 7.4 most significant byte first",
             b"\x01\x74\x00\x00\x04", ack[:5])
    check("SPID in the packet header is 51 or more", all(p[3] >= 51 for p in pkts), pkts)

    data, pkts = c.query("SELECT 1 AS one")
    check("query packets carry the same SPID", all(p[3] == pkts[0][3] for p in pkts))

    c = Tds(plain.port)
    data, _ = c.login(password="wrong")
    toks = parse_tokens(data)
    check_eq("wrong password: 18456 class 14, DONE(ERROR)",
             [("ERROR", (18456, 14, "Login failed for user 'sa'.")), ("DONE", (2, 0, 0))], toks)
    check("wrong password: connection closed", c.is_closed())

    c = Tds(plain.port)
    data, _ = c.login(database="no_such_db")
    errs = [info[0] for name, info in parse_tokens(data) if name == "ERROR"]
    check_eq("unknown database: 4060 then 18456", [4060, 18456], errs)
    check("unknown database: connection closed", c.is_closed())

    c = Tds(plain.port)
    data, _ = c.login(version=b"\x01\x00\x00\x71")
    toks = parse_tokens(data, rowcount_len=4)
    ack = [info for name, info in toks if name == "LOGINACK"][0]
    check_eq("TDS 7.1 client: LOGINACK 7.1", b"\x71\x00\x00\x01", ack[1:5])
    data, _ = c.query("SELECT 1 AS one", headers=False)
    check_eq("TDS 7.1 client: batch without ALL_HEADERS, DONE with a 4-byte count",
             ("DONE", (0x10, 0xC1, 1)), parse_tokens(data, rowcount_len=4, usertype_len=2)[-1])


def test_requests(plain):
    c = Tds(plain.port)
    c.login(packet_size=512)
    c.query("CREATE TABLE dbo.t (id int NOT NULL, s nvarchar(40) NULL)")
    c.query("CREATE TABLE dbo.t2 (id int NOT NULL, s nvarchar(40) NULL)")
    c.query("INSERT INTO dbo.t VALUES (1, N'a'), (2, NULL)")
    double_table(c, "dbo.t", "dbo.t2", "id, s", 6)
    data, pkts = c.query("SELECT id, s FROM dbo.t")
    toks = parse_tokens(data)
    rows = [t for t in toks if t[0] in ("ROW", "NBCROW")]
    check_eq("128 rows", 128, len(rows))
    check("packets split at the negotiated 512 bytes, EOM only on the last",
          len(pkts) > 1 and all(p[2] == 512 for p in pkts[:-1]) and p_eom(pkts), pkts[:3])
    check("rows with a NULL go as NBCROW", any(t[0] == "NBCROW" and t[1][1] is None for t in rows))

    data, _ = c.query("SELECT 1 AS a; SELECT 2 AS b")
    dones = [info for name, info in parse_tokens(data) if name == "DONE"]
    check_eq("two statements: first DONE has MORE, last has not", [0x11, 0x10],
             [d[0] for d in dones])

    c.batch("SELECT 1", status=0x02)   # IGNORE (with EOM)
    data, _ = c.read_message()
    check_eq("IGNORE: a single DONE(ERROR)", [("DONE", (2, 0, 0))], parse_tokens(data))

    c.send_packet(0x06, b"")
    data, _ = c.read_message()
    check_eq("attention when idle: DONE(ATTN)", [("DONE", (0x20, 0, 0))], parse_tokens(data))

    sql = "SELECT 42 AS answer"
    payload = Tds.all_headers() + sql.encode("utf-16-le")
    for k in (5, 17):
        c.send_packet(0x01, payload[:k], 0)
        payload = payload[k:]
    c.send_packet(0x01, payload, 1)
    data, _ = c.read_message()
    check_eq("request split over three packets", [42],
             [t[1] for t in parse_tokens(data) if t[0] == "ROW"][0])

    data, _ = c.query("SELECT 1 AS one", status=0x08)
    toks = parse_tokens(data)
    check_eq("RESETCONNECTION: ENVCHANGE 18 first", ("ENVCHANGE", (18, b"\x00\x00")), toks[0])

    # RPC sp_executesql by ProcID 10 with an INTN parameter
    def nvarchar(v):
        e = v.encode("utf-16-le")
        return b"\xe7" + struct.pack("<H", 8000) + b"\x09\x04\xd0\x00\x34" + struct.pack("<H", len(e)) + e

    def pname(n):
        return bytes([len(n)]) + n.encode("utf-16-le")

    rpc = (Tds.all_headers() + b"\xff\xff" + struct.pack("<HH", 10, 0)
           + pname("@stmt") + b"\x00" + nvarchar("SELECT @p AS p")
           + pname("@params") + b"\x00" + nvarchar("@p int")
           + pname("@p") + b"\x00" + b"\x26\x04\x04" + struct.pack("<i", -7))
    c.send_message(0x03, rpc)
    data, _ = c.read_message()
    toks = parse_tokens(data)
    check_eq("RPC by ProcID: row, then RETURNSTATUS and DONEPROC last",
             ([-7], "RETURNSTATUS", "DONEPROC"),
             ([t[1] for t in toks if t[0] == "ROW"][0] if any(t[0] == "ROW" for t in toks) else None,
              toks[-2][0], toks[-1][0]))
    # malformed parameters are refused with 8009 (each once overran a buffer)
    for what, param in (("decimal with scale 200", b"\x6a\x11\x26\xc8\x05\x01\x01\x00\x00\x00"),
                        ("INTN of 3 bytes", b"\x26\x04\x03\x01\x02\x03"),
                        ("date of 1 byte", b"\x28\x01\x01")):
        c.send_message(0x03, Tds.all_headers() + b"\xff\xff" + struct.pack("<HH", 10, 0)
                       + pname("@stmt") + b"\x00" + nvarchar("SELECT 1")
                       + pname("@params") + b"\x00" + nvarchar("@x int")
                       + pname("@x") + b"\x00" + param)
        toks = parse_tokens(c.read_message()[0])
        check("RPC parameter %s: error 8009, connection kept" % what,
              [t[1][0] for t in toks if t[0] == "ERROR"] == [8009]
              and parse_tokens(c.query("SELECT 1 AS one")[0])[1] == ("ROW", [1]), toks)

    # a parameter's value is converted from the type it was sent as: an
    # nvarchar '1.5' for an int fails (it is not read as 1), reported as
    # SQL Server reports parameter conversions: 8114 naming both base types
    c.send_message(0x03, Tds.all_headers() + b"\xff\xff" + struct.pack("<HH", 10, 0)
                   + pname("@stmt") + b"\x00" + nvarchar("SELECT @x AS x")
                   + pname("@params") + b"\x00" + nvarchar("@x int")
                   + pname("@x") + b"\x00" + nvarchar("1.5"))
    toks = parse_tokens(c.read_message()[0])
    check_eq("RPC nvarchar '1.5' for an int parameter: error 8114 naming nvarchar",
             [(8114, 16, "Error converting data type nvarchar to int.")],
             [t[1] for t in toks if t[0] == "ERROR"])

    # RAISERROR of severity 20 WITH LOG: the error is sent, then the
    # connection ends (not caught by TRY); a severity 19 one keeps it
    fc = Tds(plain.port)
    fc.login()
    toks = parse_tokens(fc.query("BEGIN TRY RAISERROR('fatal', 19, 1) WITH LOG END TRY"
                                " BEGIN CATCH SELECT ERROR_SEVERITY() AS sev END CATCH")[0])
    check("RAISERROR severity 19 WITH LOG: caught, connection kept",
          ("ROW", [19]) in toks and not fc.is_closed(), toks)
    toks = parse_tokens(fc.query("BEGIN TRY RAISERROR('fatal', 20, 1) WITH LOG END TRY"
                                " BEGIN CATCH SELECT 0 AS caught END CATCH")[0])
    check("RAISERROR severity 20 WITH LOG: error 50000 class 20 sent, then the connection is closed",
          [t[1] for t in toks if t[0] == "ERROR"] == [(50000, 20, "fatal")]
          and ("ROW", [0]) not in toks and fc.is_closed(), toks)
    with open(plain.log) as f:
        log = f.read()
    check("statement log: batch and RPC lines",
          "batch: SELECT 1 AS a; SELECT 2 AS b\n" in log and
          "rpc: sp_executesql(@stmt=N'SELECT @p AS p', @params=N'@p int', @p=-7)\n" in log,
          log[-600:])


def test_bulk_load(plain):
    """INSERT BULK, then a bulk load data message (0x07): COLMETADATA, ROWs, DONE."""
    c = Tds(plain.port)
    c.login()
    c.query("CREATE TABLE dbo.bl (id int NOT NULL PRIMARY KEY, s nvarchar(10) NULL, "
            "d decimal(10,2) NULL, b varbinary(max) NULL, n ntext NULL, v varchar(5) NULL)")

    def col(name, typeinfo, nullable=True, textlike=False):
        e = name.encode("utf-16-le")
        return (struct.pack("<IH", 0, 0x0009 if nullable else 0x0008) + typeinfo
                + (b"\x01" + struct.pack("<H", 2) + "bl".encode("utf-16-le") if textlike else b"")
                + bytes([len(name)]) + e)

    coll = b"\x09\x04\xd0\x00\x34"
    meta = (b"\x81" + struct.pack("<H", 6)
            + col("id", b"\x38", nullable=False)
            + col("s", b"\xe7" + struct.pack("<H", 20) + coll)
            + col("d", b"\x6a\x05\x0a\x02")
            + col("b", b"\xa5\xff\xff")
            + col("n", b"\x63" + struct.pack("<I", 0x7FFFFFFE) + coll, textlike=True)
            + col("v", b"\xa7" + struct.pack("<H", 5) + coll))

    def row(i, s, d, b, n, v):
        out = b"\xd1" + struct.pack("<i", i)
        if s is None:
            out += b"\xff\xff"
        else:
            e = s.encode("utf-16-le")
            out += struct.pack("<H", len(e)) + e
        out += b"\x00" if d is None else b"\x05\x01" + struct.pack("<I", d)
        if b is None:
            out += b"\xff" * 8
        else:
            out += struct.pack("<Q", len(b)) + struct.pack("<I", len(b)) + b + b"\x00" * 4
        if n is None:
            out += b"\x00"
        else:
            e = n.encode("utf-16-le")
            out += b"\x10" + b"\x00" * 16 + b"\x00" * 8 + struct.pack("<I", len(e)) + e
        out += b"\xff\xff" if v is None else struct.pack("<H", len(v)) + v.encode("cp1252")
        return out

    data, _ = c.query("insert bulk [dbo].[bl] ([id] int, [s] nvarchar(10), [d] decimal(10,2), "
                      "[b] varbinary(max), [n] ntext, [v] varchar(5)) with (TABLOCK)")
    check_eq("INSERT BULK: a DONE", ["DONE"], names(parse_tokens(data)))
    rows = [row(1, "één", 12345, b"\x00\x01", "ntext ✓", "abc"),
            row(2, None, None, None, None, None)]
    rows += [row(k, "r%d" % k, k, bytes([k % 256]) * 3, None, "x") for k in range(3, 451)]
    c.send_message(0x07, meta + b"".join(rows) + b"\xfd" + b"\x00" * 12, size=512)
    data, _ = c.read_message()
    check_eq("bulk load over several packets: DONE(COUNT) with the 450 rows",
             [("DONE", (0x10, 0, 450))], parse_tokens(data))
    data, _ = c.query("SELECT id, s, CAST(d AS varchar(20)), DATALENGTH(b), CASE WHEN b IN (0x0001, 0xC2C2C2) THEN 1 ELSE 0 END, "
                      "CAST(n AS nvarchar(20)), v FROM dbo.bl WHERE id IN (1, 2, 450) ORDER BY id")
    got = [t[1] for t in parse_tokens(data) if t[0] in ("ROW", "NBCROW")]
    check_eq("bulk-loaded values read back (NULLs, decimal, PLP, ntext, varchar)",
             [[1, "één", "123.45", 2, 1, "ntext ✓", "abc"],
              [2, None, None, None, 0, None, None],
              [450, "r450", "4.50", 3, 1, None, "x"]], got)

    # a key violation stops the load with SQL Server's error; the load is
    # one transaction: rows of earlier chunks are not kept either
    id_meta = b"\x81" + struct.pack("<H", 1) + col("id", b"\x38", nullable=False)
    c.query("insert bulk dbo.bl ([id] int)")
    c.send_message(0x07, id_meta + b"".join(b"\xd1" + struct.pack("<i", k)
                                            for k in list(range(1000, 1200)) + [1]))
    toks = parse_tokens(c.read_message()[0])
    check("bulk load of a duplicate key: error 2627, DONE(ERROR), no row kept",
          ("ERROR", 2627) in [(t[0], t[1][0]) for t in toks if t[0] == "ERROR"]
          and toks[-1][0] == "DONE" and toks[-1][1][0] & 0x02 and toks[-1][1][2] == 0, toks)

    # inside the client's transaction the load is part of it
    c.query("BEGIN TRANSACTION")
    c.query("insert bulk dbo.bl ([id] int)")
    c.send_message(0x07, id_meta + b"\xd1" + struct.pack("<i", 5000))
    toks = parse_tokens(c.read_message()[0])
    inside = parse_tokens(c.query("SELECT COUNT(*) FROM dbo.bl WHERE id = 5000")[0])
    c.query("ROLLBACK TRANSACTION")
    after = parse_tokens(c.query("SELECT COUNT(*) FROM dbo.bl WHERE id = 5000")[0])
    check_eq("bulk load inside BEGIN TRANSACTION: DONE(COUNT|INXACT), undone by ROLLBACK",
             ([("DONE", (0x14, 0, 1))], [1], [0]),
             (toks, [t[1] for t in inside if t[0] == "ROW"][0],
              [t[1] for t in after if t[0] == "ROW"][0]))

    c.send_message(0x07, b"\x81" + struct.pack("<H", 1) + col("id", b"\x38", nullable=False))
    toks = parse_tokens(c.read_message()[0])
    check("bulk data without INSERT BULK: error 4813",
          [t[1][0] for t in toks if t[0] == "ERROR"] == [4813], toks)
    # COLMETADATA cut inside a column name (crashed the stand-in once)
    c.query("insert bulk dbo.bl ([id] int)")
    c.send_message(0x07, b"\x81" + struct.pack("<H", 1) + struct.pack("<IH", 0, 8) + b"\x38\x05i\x00")
    toks = parse_tokens(c.read_message()[0])
    check("bulk data with a truncated column name: error 4813",
          [t[1][0] for t in toks if t[0] == "ERROR"] == [4813], toks)
    data, _ = c.query("SELECT COUNT(*) FROM dbo.bl")
    check_eq("the connection still works; rows after the failed loads", [450],
             [t[1] for t in parse_tokens(data) if t[0] == "ROW"][0])
    with open(plain.log) as f:
        log = f.read()
    check("statement log: the INSERT BULK batch and a bulk line",
          "batch: insert bulk [dbo].[bl]" in log and "bulk: [dbo].[bl]\n" in log, log[-400:])


def double_table(c, table, helper, cols, times):
    """Double the rows of table `times` times (through an empty helper table)."""
    for _ in range(times):
        c.query("TRUNCATE TABLE %s" % helper)
        c.query("INSERT INTO %s SELECT %s FROM %s" % (helper, cols, table))
        c.query("INSERT INTO %s SELECT %s FROM %s" % (table, cols, helper))


def p_eom(pkts):
    return all((p[1] & 1) == (1 if i == len(pkts) - 1 else 0) for i, p in enumerate(pkts))


def test_attention(plain):
    c = Tds(plain.port)
    c.login(packet_size=32767)
    c.query("CREATE TABLE dbo.big (id int NOT NULL, v int NULL)")
    c.query("CREATE TABLE dbo.tmp (id int NOT NULL, v int NULL)")
    c.query("INSERT INTO dbo.big VALUES (1, 1)")
    double_table(c, "dbo.big", "dbo.tmp", "id, v", 20)
    # the server blocks on the full socket long before 1M rows are out
    c.batch("SELECT id, v FROM dbo.big")
    time.sleep(0.3)
    c.send_packet(0x06, b"")
    data, pkts = c.read_message()
    toks = parse_tokens(data)
    rows = sum(1 for t in toks if t[0] in ("ROW", "NBCROW"))
    check("attention: the result stops early", 0 < rows < 1 << 20, "rows %d" % rows)
    check_eq("attention: the response ends with DONE without MORE", "DONE", toks[-1][0])
    check("attention: ... whose status has no MORE bit", not toks[-1][1][0] & 1, toks[-1])
    data, _ = c.read_message()
    check_eq("attention: acknowledged by a separate DONE(ATTN) message",
             [("DONE", (0x20, 0, 0))], parse_tokens(data))
    data, _ = c.query("SELECT 1 AS one")
    check_eq("attention: the connection goes on", [1],
             [t[1] for t in parse_tokens(data) if t[0] == "ROW"][0])

    # WAITFOR DELAY sleeps, and an attention ends the wait early
    t0 = time.time()
    c.query("WAITFOR DELAY '00:00:00.400'")
    check("WAITFOR DELAY waits", time.time() - t0 >= 0.39, "%.3f s" % (time.time() - t0))
    t0 = time.time()
    c.batch("WAITFOR DELAY '00:01:00'; SELECT 1 AS one")
    time.sleep(0.3)
    c.send_packet(0x06, b"")
    msgs = []
    while not any(t[0] == "DONE" and t[1][0] & 0x20 for t in msgs):
        data, _ = c.read_message()
        msgs += parse_tokens(data)
    check("WAITFOR DELAY: an attention ends the wait", time.time() - t0 < 5,
          "%.3f s" % (time.time() - t0))
    check("WAITFOR DELAY: the rest of the batch does not run",
          not any(t[0] == "ROW" for t in msgs), msgs)
    data, _ = c.query("SELECT 1 AS one")
    check_eq("WAITFOR DELAY: the connection goes on after the attention", [1],
             [t[1] for t in parse_tokens(data) if t[0] == "ROW"][0])

    # throughput to a client that discards: informational only
    t0 = time.time()
    c.batch("SELECT id, v FROM dbo.big")
    total = 0
    while True:
        h = c._recv_exact(8)
        ln = struct.unpack(">H", h[2:4])[0]
        c._recv_exact(ln - 8)
        total += ln
        if h[1] & 1:
            break
    dt = time.time() - t0
    print("# 1048576 narrow rows in %.3f s (%.0f rows/s, %.1f MB)" % (dt, (1 << 20) / dt, total / 1e6))


def main():
    if not os.access(SIM, os.X_OK):
        print("Bail out! %s is not built (make -C test/mssql_sim)" % SIM)
        return 1
    tmp = tempfile.mkdtemp(prefix="tds_protocol_test.")
    instances = []
    try:
        cert, key = os.path.join(tmp, "cert.pem"), os.path.join(tmp, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                        "-subj", "/CN=localhost", "-keyout", key, "-out", cert],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        plain = Instance(tmp, "plain")
        instances.append(plain)
        tls = Instance(tmp, "tls", "--tls-cert", cert, "--tls-key", key)
        instances.append(tls)
        force = Instance(tmp, "force", "--tls-cert", cert, "--tls-key", key, "--force-encryption")
        instances.append(force)
        for t in (lambda: test_prelogin_and_tls(plain, tls, force), lambda: test_login(plain),
                  lambda: test_requests(plain), lambda: test_attention(plain),
                  lambda: test_bulk_load(plain)):
            try:
                t()
            except Exception as e:      # a broken exchange fails, the rest still runs
                check("no exception", False, "%s: %s" % (type(e).__name__, e))
        codes = [i.stop() for i in instances]
        instances = []
        check_eq("SIGTERM stops every instance with status 0", [0, 0, 0], codes)
    finally:
        for i in instances:
            i.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    print("1..%d" % n_checks)
    if n_failed:
        print("# %d of %d checks failed" % (n_failed, n_checks))
        return 1
    print("# all %d checks passed" % n_checks)
    return 0


if __name__ == "__main__":
    sys.exit(main())
