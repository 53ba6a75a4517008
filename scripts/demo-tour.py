#!/usr/bin/env python3
"""A short tour of a running demo server, through its HTTP API, as its users would:

  python3 scripts/demo-tour.py BASE_URL SIGN_INS_FILE OUT_DIR

SIGN_INS_FILE is what `kinerja-server --demo` printed (the sign-in lines are read from
it). The HR officer reads the months and the paid payroll (recomputed from the stored
events, compared with the run that was paid) and downloads the CSV; the employee reads
last month and their slip; the supervisor reads the queue; the employee tries to log
today's work (accepted on a working day, refused with the core's reason otherwise).
Standard library only.
"""
import http.cookiejar
import json
import re
import sys
import urllib.error
import urllib.request

base, sign_ins_file, out_dir = sys.argv[1], sys.argv[2], sys.argv[3]
text = open(sign_ins_file, encoding="utf-8").read()
password = re.search(r"every account's password: (\S+)", text).group(1)
people = {}
for role, actor in re.findall(r"^\s+.+? \(([^)]*)\)\s+(\S+)\s", text, re.M):
    people.setdefault(role, actor)  # by the English role: employee, supervisor, HR officer, ...


class Session:
    def __init__(self, actor):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.csrf = None
        status, body = self.call("POST", "/api/auth/login", {"actor": actor, "password": password})
        if status != 200:
            raise SystemExit(f"sign-in as {actor} failed: {status} {body}")
        self.csrf = body["csrf"]

    def call(self, method, path, body=None, raw=False):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(base + path, data=data, method=method)
        if data is not None:
            req.add_header("content-type", "application/json")
        if self.csrf:
            req.add_header("x-csrf-token", self.csrf)
        try:
            with self.opener.open(req) as r:
                payload = r.read()
                return r.status, payload if raw else json.loads(payload or b"null")
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"null")


def n(x):
    """An integer the Indonesian way: 1.042.426."""
    return f"{int(x):,}".replace(",", ".")


def rp(x):
    n = round(float(x))
    return ("-" if n < 0 else "") + "Rp " + f"{abs(n):,}".replace(",", ".")


hr = Session(people["HR officer"])
status, months = hr.call("GET", "/api/months")
print("Bulan yang tersimpan (months kept):")
for m in months:
    print(f"  {m['month']}: {n(m['events']):>9} events, ditutup (closed): {m['closed']}, payroll runs: {m['payroll_runs']}")
history = next((m["month"] for m in months if m["closed"]), None)
if history:
    status, p = hr.call("GET", f"/api/months/{history}/payroll")
    s = p["payroll"]["summary"]
    print(f"\nTPP {history}: {n(s['paid'])} dibayar (paid), {n(s['not_paid'])} tidak dibayar (not paid), "
          f"{s['failed']} gagal (failed); neto {rp(s['net'])}")
    print(f"  dihitung ulang dari event tersimpan = yang dibayar (recomputed equals what was paid): {p['matches_paid']}")
    status, csv = hr.call("GET", f"/api/months/{history}/payroll.csv", raw=True)
    path = f"{out_dir}/demo-tpp-{history}.csv"
    open(path, "wb").write(csv)
    rows = csv.count(b"\n")
    print(f"  CSV: {path} ({n(rows)} baris / rows)")

    me = people["employee"]
    emp = Session(me)
    status, month = emp.call("GET", f"/api/months/{history}/employees/{me}")
    r = month["recap"]
    print(f"\nPegawai {me}, {history}: {n(r['verified_minutes'])} menit terverifikasi dari target "
          f"{n(r['target']['target_minutes'])} (verified minutes of target)")
    status, a = emp.call("GET", f"/api/months/{history}/employees/{me}/allowance")
    # The slip's text comes with it in the caller's language (Indonesian by default).
    print(f"  TPP neto (net): {a['explained']['net']}; {len(a['slip']['lines'])} baris penjelasan (explained lines)")
    if a["explained"]["lines"]:
        print(f"  {a['explained']['lines'][0]['explanation']}")

boss = Session(people["supervisor"])
status, q = boss.call("GET", "/api/me/queue")
print(f"\nAtasan {people['supervisor']}: {len(q['entries'])} entri menunggu verifikasi bulan ini "
      f"(entries awaiting a decision), batas (deadline) {q['deadline']}")

emp = Session(people["employee"])
status, day = emp.call("GET", "/api/me/day")
task = day["tasks"][0]["id"] if day["tasks"] else "-"
status, body = emp.call("POST", "/api/me/activities",
                        {"start": "08:00", "end": "09:00", "task": task, "quantity": 1,
                         "description": "Tur demo: mencatat kegiatan hari ini"})
if status == 200:
    print(f"\nKegiatan hari ini dicatat (today's work logged): entri #{body['entry']['id']}, "
          f"{body['details']['credited_minutes']} menit")
else:
    print(f"\nKegiatan hari ini ditolak (today's work refused) [{status} {body['error']['code']}]: "
          f"{body['error']['message']}")
