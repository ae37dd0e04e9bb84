"""The built-in derivation `sphere_targets`: its shared-work quadratures and tails."""

import mpmath as mp

from workbench_derivations import sphere_targets as S
from workbench.scaling.targets import hemisphere_energy, zonal_coefficient_quadrature


def test_jump_quadrature_with_shared_nodes_is_the_per_degree_quadrature():
    """The factors at each node are shared over k <= 12: the numbers are those of one
    zonal_coefficient_quadrature per degree, at each working precision."""
    for dps in (40, 50):
        with mp.workdps(dps):
            for a, m in S.JUMP_CASES[:3]:
                aa = S._mpq(a)
                g = lambda t: (t - aa) ** m / mp.factorial(m) if t > aa else 0 * t  # noqa: E731
                for k in (0, 1, 5, 12):
                    assert S.jump_quadrature(k, str(a), m, 3) == zonal_coefficient_quadrature(g, 3, k, aa)


def test_hemisphere_tail_with_remembered_terms_is_the_direct_sum():
    with mp.workdps(30):
        tails = [S.hemisphere_tail(3, K) for K in (4091, 4093, 4093)]
        with mp.workdps(40):
            direct = (mp.fsum(hemisphere_energy(3, j) for j in range(2046, S.TAIL_DIRECT))
                      + mp.nsum(lambda j: hemisphere_energy(3, j), [S.TAIL_DIRECT, mp.inf],
                                method="euler-maclaurin"))
        assert tails[0] == direct          # (the tail is returned with its 10 guard digits)
        assert tails[1] == tails[2] and tails[1] < tails[0]
