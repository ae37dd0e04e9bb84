"""Errors the workbench raises for bad input: each names what is wrong and where."""

__all__ = ["WorkbenchError", "MalformedStatement", "GraphError", "DuplicateClaim",
           "UnknownPremise", "CycleError", "LoadError", "SequenceError", "MissingInput",
           "InvalidParameter", "ConvergenceError"]


class WorkbenchError(Exception):
    """Base class for the workbench's own errors (the CLI prints them without a traceback)."""


class MalformedStatement(WorkbenchError, ValueError):
    """A statement, claim declaration or validator setting is not well formed."""


class InvalidParameter(WorkbenchError, ValueError):
    """A science function got a bad argument: a wrong dimension, a negative learning rate,
    a kernel outside the supported class, a request too large for memory.  The message
    names the argument.  (Statements and claim declarations raise :class:`MalformedStatement`.)
    A ``ValueError``, so ``except ValueError`` keeps catching it."""


class ConvergenceError(WorkbenchError, ArithmeticError):
    """A numerical method did not converge: a root-finder, a quadrature or a series that
    did not reach the requested accuracy, an iteration limit, an ODE that failed or
    diverged.  An ``ArithmeticError``, so ``except ArithmeticError`` keeps catching it."""


class GraphError(WorkbenchError):
    """The derivation graph is not well formed."""


class DuplicateClaim(GraphError):
    """Two claims share an id."""


class UnknownPremise(GraphError):
    """A claim uses an id that no claim has."""


class CycleError(GraphError):
    """The premises form a cycle; ``.cycle`` lists the ids around it."""

    def __init__(self, cycle):
        self.cycle = list(cycle)
        super().__init__("premises form a cycle: " + " -> ".join(self.cycle + self.cycle[:1]))


class LoadError(WorkbenchError):
    """A claim file or derivation module could not be loaded."""


class SequenceError(WorkbenchError, ValueError):
    """A sequence or expression being validated returned something that is not a number."""


class MissingInput(WorkbenchError):
    """A file declared in a claim's ``inputs=`` cannot be read (so its result cannot be hashed)."""
