#!/usr/bin/env python3
"""Django command-line utility for the interop project.

Run it with Debian's Django 3.2: /usr/bin/python3 manage.py migrate
"""
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_settings.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
