from parrhesia.cli import run

run()
