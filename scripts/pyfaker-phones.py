"""Dev-only helper for scripts/phone-pyfaker-recall.ts: prints seeded Python Faker phone numbers as JSON lines.

Usage: python3 scripts/pyfaker-phones.py N SEED
Every locale with a phone_number provider of its own gets N numbers from Faker's phone_number(); each line is
{"locale": ..., "value": ...}. Needs Python Faker (Debian: apt-get install python3-fake-factory); nothing of
it is part of the project. Exit code 3 when faker is missing.
"""
import json
import os
import sys

try:
    import faker
    from faker import Faker
    import faker.providers.phone_number as phone_providers
except ImportError:
    sys.stderr.write("python faker not found (Debian package: python3-fake-factory)\n")
    sys.exit(3)

n = int(sys.argv[1]) if len(sys.argv) > 1 else 100
seed = int(sys.argv[2]) if len(sys.argv) > 2 else 2026
base = os.path.dirname(phone_providers.__file__)
locales = sorted(d for d in os.listdir(base) if os.path.isfile(os.path.join(base, d, "__init__.py")))
print(json.dumps({"faker": getattr(faker, "VERSION", "?"), "locales": len(locales)}))
for locale in locales:
    fake = Faker(locale)
    fake.seed_instance(seed)
    for _ in range(n):
        print(json.dumps({"locale": locale, "value": fake.phone_number()}, ensure_ascii=False))
