"""The demo data that ``manage.py seed_demo`` makes: data (what it draws on), catalog, people, setup (the shop
before any order), orders (planned and taken through the real services), support (inquiries, ratings) and
report (what it prints)."""
