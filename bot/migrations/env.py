"""Alembic environment: the app passes its own connection (bot.db.migrate); no alembic.ini needed."""
from alembic import context

from bot.db import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # `alembic` CLI use: build an engine from the URL option
    from bot.db import make_engine
    connection = make_engine(config.get_main_option("sqlalchemy.url")).connect()

context.configure(connection=connection, target_metadata=Base.metadata,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
