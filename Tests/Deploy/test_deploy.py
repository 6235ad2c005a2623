"""The deployment kit in deploy/ is checked by the tools that will run it: systemd-analyze for the
units, nginx -t for the reverse-proxy example (with a throw-away certificate in place of the real
one)."""
import os
import shutil
import subprocess

import pytest

REPOSITORY = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEPLOY = os.path.join(REPOSITORY, "deploy")
BINARY = os.path.join(REPOSITORY, ".build", "debug", "qrstore")


def localised(name, folder, replacements):
    """A copy of deploy/NAME in FOLDER with the paths of a real server replaced by local ones."""
    with open(os.path.join(DEPLOY, name)) as source:
        text = source.read()
    for old, new in replacements.items():
        text = text.replace(old, new)
    path = os.path.join(folder, name)
    with open(path, "w") as out:
        out.write(text)
    return path


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_units_verify(tmp_path):
    replacements = {"/opt/qrstore/qrstore": BINARY, "/opt/qrstore": REPOSITORY}
    units = [localised(name, str(tmp_path), replacements)
             for name in ("qrstore.service", "qrstore-backup.service", "qrstore-backup.timer")]
    run = subprocess.run(["systemd-analyze", "verify", *units], capture_output=True, text=True)
    # The qrstore user is made on the server (useradd); everything else must be clean.
    problems = [line for line in (run.stdout + run.stderr).splitlines()
                if line.strip() and "qrstore" in line and "user" not in line.lower()]
    assert run.returncode == 0 or not problems, run.stdout + run.stderr
    assert not problems, problems


def test_nginx_example_is_valid(tmp_path):
    assert shutil.which("nginx") or os.path.exists("/usr/sbin/nginx"), "nginx is installed by make test"
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    certificate, key = tmp_path / "fullchain.pem", tmp_path / "privkey.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                    "/CN=pay.example.com", "-keyout", str(key), "-out", str(certificate)],
                   check=True, capture_output=True)
    site = localised("nginx.conf", str(tmp_path), {
        "/etc/letsencrypt/live/pay.example.com/fullchain.pem": str(certificate),
        "/etc/letsencrypt/live/pay.example.com/privkey.pem": str(key)})
    main = tmp_path / "main.conf"
    main.write_text(f"events {{}}\nhttp {{\n  include {site};\n}}\n")
    run = subprocess.run([nginx, "-t", "-p", str(tmp_path), "-c", str(main),
                          "-g", f"pid {tmp_path}/nginx.pid; error_log stderr;"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "syntax is ok" in run.stderr
