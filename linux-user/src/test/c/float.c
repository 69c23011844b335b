/* Floating point through printf and libm (x87 on i386): formatting, parsing and math functions. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int main(void) {
    volatile double x = 1.0 / 3.0;
    printf("%.17g %f %e %g %a\n", x, x, x, x, x);
    printf("%.3f %.0f %g %g\n", 2.5, 2.5, 1e300 * 10, -0.0);
    printf("sqrt2=%.15f\n", sqrt(2.0));
    printf("sin1=%.15f cos1=%.15f\n", sin(1.0), cos(1.0));
    printf("exp1=%.15f log10=%.15f pow=%.15f\n", exp(1.0), log(10.0), pow(1.5, 7.25));
    printf("atan2=%.15f floor=%g ceil=%g fmod=%g\n", atan2(1.0, -2.0), floor(-2.5), ceil(-2.5), fmod(10.5, 3.0));
    printf("strtod=%.17g atof=%g\n", strtod("3.14159265358979323846", NULL), atof("-1.5e-7"));
    long double l = 1.0L / 7.0L;
    printf("long double=%.20Lf\n", l);
    float fl = 0.1f;
    printf("float=%.10f\n", fl);
    double acc = 0;
    for (int i = 1; i <= 100000; i++) acc += 1.0 / ((double) i * i);
    printf("basel=%.15f\n", acc);
    printf("int conversions: %d %d %lld\n", (int) 2.9, (int) -2.9, (long long) 1e15);
    printf("nan=%f inf=%f\n", nan(""), INFINITY);
    return 0;
}
