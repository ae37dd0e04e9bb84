// Plain C++ baseline for bench_teacher_student.py: online SGD of the soft committee machine,
// the step of nn2pp (Goldt et al. 2019, C++/Armadillo) written with std::vector loops.
// Same model and conventions as workbench.teacher_student.simulate: K students, M teachers,
// g(x) = erf(x / sqrt 2), second layers fixed at 1, x ~ N(0, I_N) fresh each step,
//   w_i <- w_i + (eta / sqrt N) g'(lambda_i) (y - yhat) x,   lambda = w x / sqrt N.
// The normals come from std::mt19937_64 and std::normal_distribution (as Armadillo's randn).
// Usage: sgd_baseline N K M steps eta seed   -> prints "seconds Q11" (Q11 as a sanity check).
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

int main(int argc, char **argv) {
    if (argc != 7) { std::fprintf(stderr, "usage: N K M steps eta seed\n"); return 2; }
    const int N = std::atoi(argv[1]), K = std::atoi(argv[2]), M = std::atoi(argv[3]);
    const long steps = std::atol(argv[4]);
    const double eta = std::atof(argv[5]);
    std::mt19937_64 gen(std::atol(argv[6]));
    std::normal_distribution<double> normal(0.0, 1.0);
    std::vector<double> w(K * N), b(M * N), x(N), lam(K), nu(M);
    for (auto &e : w) e = 0.5 * normal(gen);
    for (auto &e : b) e = normal(gen);
    const double sq = std::sqrt((double)N), c = std::sqrt(2.0 / M_PI);
    auto t0 = std::chrono::steady_clock::now();
    for (long t = 0; t < steps; ++t) {
        for (int a = 0; a < N; ++a) x[a] = normal(gen);
        for (int i = 0; i < K; ++i) {
            double s = 0.0;
            for (int a = 0; a < N; ++a) s += w[i * N + a] * x[a];
            lam[i] = s / sq;
        }
        for (int m = 0; m < M; ++m) {
            double s = 0.0;
            for (int a = 0; a < N; ++a) s += b[m * N + a] * x[a];
            nu[m] = s / sq;
        }
        double delta = 0.0;
        for (int m = 0; m < M; ++m) delta += std::erf(nu[m] / std::sqrt(2.0));
        for (int i = 0; i < K; ++i) delta -= std::erf(lam[i] / std::sqrt(2.0));
        for (int i = 0; i < K; ++i) {
            const double coef = eta / sq * c * std::exp(-0.5 * lam[i] * lam[i]) * delta;
            for (int a = 0; a < N; ++a) w[i * N + a] += coef * x[a];
        }
    }
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    double q = 0.0;
    for (int a = 0; a < N; ++a) q += w[a] * w[a] / N;
    std::printf("%.6f %.6f\n", secs, q);
    return 0;
}
