import {createNodeResolver} from 'eslint-plugin-import-x';

/*
The layers of source/ (docs/design.md): data flows socket → parser → store → engine → snapshot →
UI and outputs, and the imports may only follow it. At the bottom, the vocabulary
(source/vocabulary.ts: the heartbeat, liveness states, outcomes, events) that every layer imports
and that imports none of them. The UI reads the engine's interface (engine/types.ts) and the
vocabulary, never the store, the server or the engine's insides; the store and the protocol know
nothing above them, and the protocol nothing of the store.
*/
export const layerZones = [
  {
    target: './source/vocabulary.ts',
    from: './source',
    except: ['./vocabulary.ts'],
    message:
      'the vocabulary is the bottom of the tree: it imports nothing of the layers',
  },
  {
    target: './source/protocol',
    from: [
      './source/store',
      './source/server',
      './source/engine',
      './source/ui',
      './source/output',
    ],
    message:
      'the protocol is pure functions: it imports only the vocabulary below it',
  },
  {
    target: './source/store',
    from: [
      './source/server',
      './source/engine',
      './source/ui',
      './source/output',
    ],
    message:
      'the store knows nothing of the server, the engine, the UI or the outputs',
  },
  {
    target: './source/server',
    from: ['./source/engine', './source/ui', './source/output'],
    message: 'the server imports nothing of the engine, the UI or the outputs',
  },
  {
    target: './source/engine',
    from: './source/ui',
    message: 'the engine imports nothing of the UI',
  },
  {
    target: './source/output',
    from: './source/ui',
    message: 'the outputs read snapshots and events, not the UI',
  },
  {
    target: './source/alerts',
    from: [
      './source/ui',
      './source/server',
      './source/store/heartbeat-store.ts',
    ],
    message:
      'the alert hooks read the engine interface and events, not its parts',
  },
  {
    target: './source/ui',
    from: ['./source/server', './source/protocol', './source/output'],
    message:
      'the UI draws snapshots and sends commands: it never touches the server',
  },
  {
    target: './source/ui',
    from: './source/store',
    message:
      'the UI never holds the live store: read the snapshot (engine/types.ts) and the vocabulary',
  },
  {
    target: './source/ui',
    from: './source/engine',
    except: ['./types.ts'],
    message:
      'the UI reads the engine only through its interface (engine/types.ts)',
  },
  {
    target: './source/control',
    from: ['./source/server', './source/store', './source/protocol'],
    message:
      'the control socket carries the engine interface (snapshots, commands), never its parts',
  },
  {
    target: [
      './source/protocol',
      './source/store',
      './source/server',
      './source/engine',
      './source/ui',
      './source/output',
    ],
    from: './source/control',
    message:
      'only serving and the CLI start the control socket or attach to one',
  },
];

/** @type {import('xo').FlatXoConfig} */
const xoConfig = [
  {
    ignores: ['dist/**'],
  },
  {
    prettier: true,
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
      // Node's socket and stream APIs speak Buffer and null.
      '@typescript-eslint/no-restricted-types': 'off',
      // The automatic JSX runtime needs no React in scope.
      'react/react-in-jsx-scope': 'off',
      'react/jsx-uses-react': 'off',
    },
  },
  {
    files: ['source/**', 'cli.tsx'],
    settings: {
      // Imports name the built `.js`; the layers are checked on the `.ts` and `.tsx` they come from.
      'import-x/resolver-next': [
        createNodeResolver({
          extensions: ['.ts', '.tsx', '.js'],
          extensionAlias: {'.js': ['.ts', '.tsx', '.js']},
        }),
      ],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', {zones: layerZones}],
    },
  },
  {
    files: ['test/**'],
    rules: {
      // Tests read JSON and events whose shape they then assert.
      '@typescript-eslint/no-unsafe-type-assertion': 'off',
    },
  },
];

export default xoConfig;
