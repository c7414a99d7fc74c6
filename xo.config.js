/** @type {import('xo').FlatXoConfig} */
const xoConfig = [
  {
    ignores: ['dist/**'],
  },
  {
    prettier: 'compat',
    space: 2,
    react: true,
    rules: {
      // Packet handling is hot: plain loops and early returns read better than chains here.
      'unicorn/no-array-for-each': 'off',
      'no-bitwise': 'off',
      'unicorn/prefer-math-trunc': 'off',
      'no-await-in-loop': 'off',
      'unicorn/no-process-exit': 'off',
      'n/prefer-global/process': 'off',
      'n/prefer-global/buffer': 'off',
      'unicorn/prevent-abbreviations': 'off',
      '@typescript-eslint/no-floating-promises': 'off',
      'react/prop-types': 'off',
      'react/require-default-props': 'off',
      '@typescript-eslint/naming-convention': 'off',
      'capitalized-comments': 'off',
      'max-params': 'off',
      complexity: 'off',
      'unicorn/no-null': 'off',
      // Interfaces here group fields by meaning, not by kind.
      '@typescript-eslint/member-ordering': 'off',
    },
  },
];

export default xoConfig;
