"""Keeps writing users through Django's ORM until a stop file appears (issue 14's concurrent writer).

    concurrent_writer.py STOP_FILE

Each iteration is one transaction: it creates user writer-<i> in group "writers" and sets the previous writer's
last_name to str(i). So in every committed state the writers are writer-0 .. writer-<k>, each in "writers", every one
but the last with last_name str(index + 1), the last with "". A backup that mixed two states breaks that.
A transaction refused because the database is locked (SQLite, while another program holds it) is tried again.
At the end it prints "committed N": the writers it committed, which nobody may lose.
"""
import os
import sys
import time

import _django  # noqa: F401  (sets up Django)
from django.contrib.auth.models import Group
from django.db import OperationalError, transaction

from _django import User

stop_file = sys.argv[1]
writers, _ = Group.objects.get_or_create(name="writers")
committed = User.objects.filter(username__startswith="writer-").count()
started = open(stop_file + ".started", "w")
started.close()
while not os.path.exists(stop_file):
    try:
        with transaction.atomic():
            user = User.objects.create(username="writer-%d" % committed, password="!concurrent", last_name="")
            user.groups.add(writers)
            if committed > 0:
                User.objects.filter(username="writer-%d" % (committed - 1)).update(last_name=str(committed))
        committed += 1
    except OperationalError as locked:
        if "locked" not in str(locked):
            raise
        time.sleep(0.01)
print("committed %d" % committed)
