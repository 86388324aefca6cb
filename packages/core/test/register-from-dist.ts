// Core's own tests import its modules one by one. tfjs's gradients and chained ops are
// registered from the built bundle, which loads in milliseconds, instead of from tfjs-core's
// ~700 ESM modules that Vite would transform again for every test file.
import '../dist/register.js';
