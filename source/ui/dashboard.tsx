import {useCallback, useLayoutEffect, useMemo, useRef, useState} from 'react';
import {Box, useStdin} from 'ink';
import {ClientTable} from './client-table.js';
import {Footer} from './footer.js';
import {Header} from './header.js';
import {HelpOverlay} from './help-overlay.js';
import {IdlePrompt} from './idle-prompt.js';
import {footerLines, rowsThatFit, tableBudget} from './layout.js';
import {LineInput} from './line-input.js';
import {createRowSelector} from './row-selector.js';
import {fitWindow} from './select-rows.js';
import {StatusLine} from './status-line.js';
import type {DashboardController, DashboardSource} from './types.js';
import {clampLoss, useDashboardKeys} from './use-dashboard-keys.js';
import {useDashboardState} from './use-dashboard-state.js';
import {useFrame} from './use-frame.js';
import {useTerminalSize} from './use-terminal-size.js';

export type DashboardProps = {
  /** What the dashboard reads: the store, the clock, the server's settings. */
  readonly source: DashboardSource;
  /** What its keys do to the server and store. */
  readonly controller: DashboardController;
  /** Milliseconds between frames; 100 (ten frames a second) unless a test wants them faster. */
  readonly frameIntervalMs?: number;
  /** Terminal lines, instead of what stdout reports (tests: ink-testing-library reports none). */
  readonly rows?: number;
  /** Terminal columns, instead of what stdout reports. */
  readonly columns?: number;
};

/** An exact loss: digits with at most one point. */
const lossText = /^\d*\.?\d*$/v;

function acceptLoss(next: string): boolean {
  return lossText.test(next) && next.length <= 8;
}

/** The live dashboard: header, client table, status and keys, redrawn from a snapshot each frame. */
export function Dashboard({
  source,
  controller,
  frameIntervalMs = 100,
  rows,
  columns,
}: DashboardProps) {
  const frame = useFrame(source, Math.max(1, frameIntervalMs));
  const [state, dispatch] = useDashboardState();
  const size = useTerminalSize({rows, columns});
  const {isRawModeSupported} = useStdin();
  // One per dashboard: it keeps the last full sort of a long list between frames.
  const selector = useMemo(() => createRowSelector(), []);
  // The frame in which the idle prompt was answered: hidden from then, not only from the next frame.
  const [idleAnsweredIn, setIdleAnsweredIn] = useState<number>();
  // Read by the prompt's answers, which must not change each frame (Ink would re-subscribe them).
  const frameSequence = useRef(frame.sequence);
  useLayoutEffect(() => {
    frameSequence.current = frame.sequence;
  });

  const view = state.frozen ?? frame.clients;
  const idleSilenceMs =
    idleAnsweredIn === frame.sequence ? undefined : frame.idleSilenceMs;
  const promptOpen = idleSilenceMs !== undefined;
  const inputOpen = state.overlay === 'filter' || state.overlay === 'loss';
  const footer = footerLines(size.columns);
  const budget = tableBudget({
    terminalRows: size.rows,
    footerHeight: footer.length,
    promptOpen,
    inputOpen,
  });

  const {sort, descending, filter, selected, top} = state;
  const shown = useMemo(
    () =>
      selector.select(
        view.clients,
        {sort, descending, filter},
        view.now,
        (total) => {
          const visible = rowsThatFit(budget, total);
          const placed = fitWindow(selected, top, visible, total);
          return {...placed, visible, total, start: placed.top, count: visible};
        },
      ),
    [selector, view, sort, descending, filter, selected, top, budget],
  );

  const onClientsReplaced = useCallback(() => {
    selector.invalidate();
  }, [selector]);
  useDashboardKeys({
    source,
    controller,
    state,
    dispatch,
    placement: shown.placement,
    isActive: state.overlay === 'none' && !promptOpen,
    inputSupported: isRawModeSupported,
    onClientsReplaced,
  });

  const close = useCallback(() => {
    dispatch({type: 'close'});
  }, [dispatch]);
  const applyFilter = useCallback(
    (value: string) => {
      dispatch({type: 'filter', filter: value.trim()});
      return undefined;
    },
    [dispatch],
  );
  const applyLoss = useCallback(
    (value: string) => {
      const percent = Number(value);
      if (value === '' || value === '.' || !(percent >= 0 && percent <= 100)) {
        return 'enter a number from 0 to 100';
      }

      controller.setLoss(clampLoss(percent));
      dispatch({type: 'close'});
      return undefined;
    },
    [controller, dispatch],
  );
  const quitWhenIdle = useCallback(() => {
    setIdleAnsweredIn(frameSequence.current);
    controller.quit();
  }, [controller]);
  const dismissIdle = useCallback(() => {
    setIdleAnsweredIn(frameSequence.current);
    controller.dismissIdle();
  }, [controller]);

  const linesActive = isRawModeSupported && !promptOpen;
  if (state.overlay === 'help') {
    // The whole screen: the help is as tall as a classic terminal allows.
    return (
      <Box flexDirection="column">
        <HelpOverlay isActive={linesActive} onClose={close} />
        {idleSilenceMs !== undefined && (
          <IdlePrompt
            silenceMs={idleSilenceMs}
            isActive={isRawModeSupported}
            onConfirm={quitWhenIdle}
            onCancel={dismissIdle}
          />
        )}
      </Box>
    );
  }

  return (
    <Box flexDirection="column">
      <Header
        listening={source.listening}
        startedAt={source.startedAt}
        view={view}
        loss={frame.loss}
        isLossChanged={frame.lossChanged}
        logFile={source.logFile}
        logError={frame.logError}
      />
      <StatusLine
        sort={sort}
        isDescending={descending}
        filter={filter}
        total={shown.placement.total}
        clientCount={view.clientCount}
        selected={shown.placement.selected}
      />
      <ClientTable
        rows={shown.window.rows}
        start={shown.window.start}
        total={shown.window.total}
        selected={shown.placement.selected}
        now={view.now}
        width={size.columns}
        emptyText={
          filter === ''
            ? `No clients yet: waiting for heartbeats on ${source.listening}.`
            : `No client matches "${filter}" (Esc clears the filter).`
        }
      />
      {state.overlay === 'filter' && (
        <LineInput
          label="filter"
          initialValue={filter}
          hint="part of an address; Enter applies, empty clears, Esc cancels"
          isActive={linesActive}
          onSubmit={applyFilter}
          onCancel={close}
        />
      )}
      {state.overlay === 'loss' && (
        <LineInput
          label="loss %"
          accept={acceptLoss}
          hint="0-100; Enter applies, Esc cancels"
          isActive={linesActive}
          onSubmit={applyLoss}
          onCancel={close}
        />
      )}
      {idleSilenceMs !== undefined && (
        <IdlePrompt
          silenceMs={idleSilenceMs}
          isActive={isRawModeSupported}
          onConfirm={quitWhenIdle}
          onCancel={dismissIdle}
        />
      )}
      <Footer lines={footer} />
    </Box>
  );
}
