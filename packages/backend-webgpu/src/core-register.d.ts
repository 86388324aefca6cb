// @pfm/core/register exports nothing (it only registers tfjs's gradients). Declared here so this
// package type-checks and builds before @pfm/core is built (core's tests depend on this package).
declare module '@pfm/core/register';
