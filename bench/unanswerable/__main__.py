"""``python -m bench.unanswerable``: see the package's docstring."""

from bench.unanswerable.generation import main

if __name__ == "__main__":
    main()
