#!/usr/bin/env python3
"""A Secret Service that never answers: it owns org.freedesktop.secrets on the bus given as
the first argument, prints "ready", and then ignores every message until stdin closes.
Used by zen-do's keyring tests to prove that lookups give up instead of hanging.
Needs jeepney (pure Python; installed with `pip install keyring`)."""
import sys

from jeepney.bus_messages import message_bus
from jeepney.io.blocking import open_dbus_connection

connection = open_dbus_connection(bus=sys.argv[1])
reply = connection.send_and_get_reply(message_bus.RequestName("org.freedesktop.secrets"))
if reply.body[0] != 1:  # DBUS_REQUEST_NAME_REPLY_PRIMARY_OWNER
    sys.exit("silent-secret-service: could not own org.freedesktop.secrets")
print("ready", flush=True)
sys.stdin.read()  # incoming calls queue up unanswered until the test closes stdin
connection.close()
