import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react';
import {Box, useStdin} from 'ink';
import {faultInjected} from '../fault-injection.js';
import type {ClientDetail, ViewQuery} from '../engine/types.js';
import {ClientTable} from './client-table.js';
import {DetailView} from './detail-view.js';
import {Footer} from './footer.js';
import {Header} from './header.js';
import {HelpOverlay} from './help-overlay.js';
import {IdlePrompt} from './idle-prompt.js';
import {useInputPacing, type InputPacing} from './key-stream.js';
import {
  detailIntents,
  detailKeyHints,
  keyGroups,
  replayKeyGroups,
  replayKeyHints,
  type KeyIntent,
} from './key-bindings.js';
import {
  fitFooter,
  headerHeight,
  keyHints,
  rowCapacity,
  rowsThatFit,
  tableBudget,
} from './layout.js';
import {LineInput} from './line-input.js';
import type {ReplayControls, ReplayStatus} from './replay-controls.js';
import {ResetPrompt} from './reset-prompt.js';
import {fitWindow} from './sort-order.js';
import {StatusLine} from './status-line.js';
import {
  clampLoss,
  useDashboardKeys,
  type DashboardIntentions,
} from './use-dashboard-keys.js';
import {useDashboardState} from './use-dashboard-state.js';
import {useEngineSnapshot, type EngineView} from './use-engine-snapshot.js';
import {useTerminalSize} from './use-terminal-size.js';

export type DashboardProps = {
  /** The engine's snapshots and commands. */
  readonly engine: EngineView;
  /** Shut down (`q`, Ctrl+C, `y` at the idle prompt): the host owns the process. */
  readonly onQuit: () => void;
  /** `y` at the idle prompt, when it means more than quitting (a viewer shuts the server down). */
  readonly onShutdown?: () => void;
  /** Terminal lines, instead of what stdout reports (tests: ink-testing-library reports none). */
  readonly rows?: number;
  /** Terminal columns, instead of what stdout reports. */
  readonly columns?: number;
  /** A replay's clock: the dashboard shows the run as it was, with the replay's keys. */
  readonly replay?: ReplayControls;
  /** The terminal's input, key by key: told when a key's effects have run, so the next may follow. */
  readonly input?: InputPacing;
};

const noSubscription = () => () => undefined;
const noStatus = (): ReplayStatus | undefined => undefined;

/** An exact loss: digits with at most one point. */
const lossText = /^\d*\.?\d*$/v;

function acceptLoss(next: string): boolean {
  return lossText.test(next) && next.length <= 8;
}

/** Tests: a dashboard that throws once it shows a client (UDP_HEARTBEAT_FAULT=render). */
const renderFault = faultInjected('render');

/** The live dashboard: header, client table, status and keys, drawn from the engine's snapshots. */
export function Dashboard({
  engine,
  onQuit,
  onShutdown,
  rows,
  columns,
  replay,
  input,
}: DashboardProps) {
  useInputPacing(input);
  // The table's columns on screen (a narrow terminal leaves some out): `s` sorts only by those.
  const columnsOnScreen = useRef<ReadonlySet<string> | undefined>(undefined);
  const setColumnsOnScreen = useCallback((columns: readonly string[]) => {
    columnsOnScreen.current = new Set(columns);
  }, []);
  const snapshot = useEngineSnapshot(engine, replay !== undefined);
  const replayStatus = useSyncExternalStore(
    replay?.subscribe ?? noSubscription,
    replay?.getStatus ?? noStatus,
  );
  const groups = replay === undefined ? keyGroups : replayKeyGroups;
  const [state, dispatch] = useDashboardState();
  const size = useTerminalSize({rows, columns});
  const {isRawModeSupported} = useStdin();
  if (renderFault && snapshot.clientCount > 0) {
    throw new Error('injected render fault');
  }

  // The prompt was answered: hidden until a snapshot taken after the answer says otherwise.
  const [idleAnsweredAt, setIdleAnsweredAt] = useState<number>();
  const idleSilenceMs =
    idleAnsweredAt !== undefined && snapshot.commandsApplied < idleAnsweredAt
      ? undefined
      : snapshot.idleSilenceMs;
  const promptOpen = idleSilenceMs !== undefined || state.overlay === 'reset';
  const inputOpen = state.overlay === 'filter' || state.overlay === 'loss';
  const footer = fitFooter({
    width: size.columns,
    terminalRows: size.rows,
    promptOpen,
    inputOpen,
    hints: replay === undefined ? keyHints : replayKeyHints,
    headerHeight: headerHeight + (replay === undefined ? 0 : 1),
  });
  const budget = tableBudget({
    terminalRows: size.rows,
    footerHeight: footer.length,
    promptOpen,
    inputOpen,
    headerHeight: headerHeight + (replay === undefined ? 0 : 1),
  });

  // The detail view: the client it names, and whether its detail has arrived since it opened (a
  // detail missing after that means the client was forgotten or evicted).
  const [detailOf, setDetailOf] = useState<{key: string; seen: boolean}>();
  const detailKey = detailOf?.key;
  const liveDetail =
    snapshot.detail?.row.key === detailKey ? snapshot.detail : undefined;
  // State that follows the snapshot, adjusted while rendering as React advises (no effect).
  if (detailOf !== undefined && !detailOf.seen && liveDetail !== undefined) {
    setDetailOf({...detailOf, seen: true});
  }

  // Frozen with p: the view keeps the copy it had when the freeze came, as the table does.
  const [heldDetail, setHeldDetail] = useState<ClientDetail>();
  const {frozen} = snapshot;
  if (frozen && liveDetail !== undefined && heldDetail?.row.key !== detailKey) {
    setHeldDetail(liveDetail);
  } else if (!frozen && heldDetail !== undefined) {
    setHeldDetail(undefined);
  }

  const shownDetail = frozen ? (heldDetail ?? liveDetail) : liveDetail;

  const {sort, descending, filter, selected, top} = state;
  const {window} = snapshot;
  const visible = rowsThatFit(budget, window.total);
  const placement = fitWindow(selected, top, visible, window.total);
  // The rows the window holds from the placement's top; a window asked for a moment ago may not
  // reach yet, and shows what it has until the engine's next snapshot.
  const shownRows = useMemo(() => {
    const from = Math.max(0, placement.top - window.start);
    return window.rows.slice(from, from + visible);
  }, [window, placement.top, visible]);

  // What the view asks of the engine: sent whenever it changes, and the engine answers with a
  // fresh snapshot.
  const query: ViewQuery = useMemo(
    () => ({
      sort,
      descending,
      filter,
      start: placement.top,
      count: rowCapacity(budget),
      detail: detailKey,
    }),
    [sort, descending, filter, placement.top, budget, detailKey],
  );
  useEffect(() => {
    engine.send({type: 'view', query});
  }, [engine, query]);

  // Read by the key handlers, which must not change each frame (Ink would re-subscribe them).
  const drawn = {
    snapshot,
    filter,
    placement: {...placement, visible, total: window.total},
    selectedKey: shownRows[placement.selected - placement.top]?.key,
    detailKey,
  };
  const latest = useRef(drawn);
  useLayoutEffect(() => {
    latest.current = drawn;
  });

  // A loss just set, until a snapshot newer than the one it was set on shows it: keys typed in one
  // read step from each other, not all from the drawn value.
  const pendingLoss = useRef<{value: number; sequence: number} | undefined>(
    undefined,
  );
  const intentions: DashboardIntentions = useMemo(() => {
    const lossNow = () => {
      const {snapshot: current} = latest.current;
      const pending = pendingLoss.current;
      return pending?.sequence === current.sequence
        ? pending.value
        : current.lossPercent;
    };

    const setLoss = (percent: number) => {
      const next = clampLoss(percent);
      if (next !== lossNow()) {
        pendingLoss.current = {
          value: next,
          sequence: latest.current.snapshot.sequence,
        };
        engine.send({type: 'set-loss', percent: next});
      }
    };

    const moveTo = (target: number) => {
      const {placement: from} = latest.current;
      dispatch({
        type: 'select',
        target,
        from,
        visible: from.visible,
        total: from.total,
      });
    };

    const perform = (intent: KeyIntent): boolean => {
      const {snapshot: current, placement: from} = latest.current;
      const page = Math.max(1, from.visible);
      if (latest.current.detailKey !== undefined) {
        if (!detailIntents.has(intent.type)) {
          return true;
        }

        if (intent.type === 'detail' || intent.type === 'clear-filter') {
          // Back to the table, on the client the view showed: the sort may have moved it while
          // the view was open, and the same row number would now be another client.
          const {window: rows} = current;
          const at = rows.rows.findIndex(
            (row) => row.key === latest.current.detailKey,
          );
          setDetailOf(undefined);
          if (at !== -1) {
            moveTo(rows.start + at);
          }

          return false;
        }
      }

      switch (intent.type) {
        case 'detail': {
          const key = latest.current.selectedKey;
          if (key !== undefined) {
            setDetailOf({key, seen: false});
          }

          return false;
        }

        case 'loss-step': {
          setLoss(lossNow() + intent.step);
          return true;
        }

        case 'loss-tens': {
          setLoss(intent.tens * 10);
          return true;
        }

        case 'loss-exact': {
          dispatch({type: 'open', overlay: 'loss'});
          return false;
        }

        case 'move': {
          const targets = {
            up: from.selected - 1,
            down: from.selected + 1,
            'page-up': from.selected - page,
            'page-down': from.selected + page,
            home: 0,
            end: from.total - 1,
          };
          moveTo(targets[intent.by]);
          // Moves read the cursor as last drawn, which a second move in the same read would not see.
          return intent.by === 'home' || intent.by === 'end';
        }

        case 'next-sort': {
          dispatch({type: 'next-sort', onScreen: columnsOnScreen.current});
          return true;
        }

        case 'reverse-sort': {
          dispatch({type: 'reverse-sort'});
          return true;
        }

        case 'filter': {
          dispatch({type: 'open', overlay: 'filter'});
          return false;
        }

        case 'clear-filter': {
          if (latest.current.filter !== '') {
            dispatch({type: 'filter', filter: ''});
          }

          return false;
        }

        case 'freeze': {
          engine.send({type: 'freeze', frozen: !current.frozen});
          return false;
        }

        case 'reset': {
          dispatch({type: 'open', overlay: 'reset'});
          return false;
        }

        case 'forget': {
          engine.send({type: 'forget-stopped'});
          return true;
        }

        case 'mute': {
          engine.send({type: 'mute', muted: !current.muted});
          return false;
        }

        case 'help': {
          dispatch({type: 'open', overlay: 'help'});
          return false;
        }

        case 'quit': {
          onQuit();
          return false;
        }

        case 'replay-pause': {
          replay?.togglePause();
          return true;
        }

        case 'replay-speed': {
          replay?.changeSpeed(intent.faster);
          return true;
        }
      }
    };

    return {perform, quit: onQuit};
  }, [engine, dispatch, onQuit, replay, setDetailOf]);

  useDashboardKeys({
    intentions,
    isActive: state.overlay === 'none' && !promptOpen,
    inputSupported: isRawModeSupported,
    groups,
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

      engine.send({type: 'set-loss', percent: clampLoss(percent)});
      dispatch({type: 'close'});
      return undefined;
    },
    [engine, dispatch],
  );
  const confirmReset = useCallback(() => {
    engine.send({type: 'reset'});
    dispatch({type: 'close'});
  }, [engine, dispatch]);
  const answerIdle = useCallback(() => {
    // Hidden until a snapshot has seen this answer (and any command before it).
    setIdleAnsweredAt(latest.current.snapshot.commandsApplied + 1);
  }, []);
  const quitWhenIdle = useCallback(() => {
    answerIdle();
    (onShutdown ?? onQuit)();
  }, [answerIdle, onQuit, onShutdown]);
  const dismissIdle = useCallback(() => {
    answerIdle();
    engine.send({type: 'dismiss-idle'});
  }, [answerIdle, engine]);

  const linesActive = isRawModeSupported && idleSilenceMs === undefined;
  const idlePrompt = idleSilenceMs !== undefined && (
    <IdlePrompt
      silenceMs={idleSilenceMs}
      isActive={isRawModeSupported}
      onConfirm={quitWhenIdle}
      onCancel={dismissIdle}
    />
  );
  if (state.overlay === 'help') {
    // The whole screen: the help is as tall as a classic terminal allows.
    return (
      <Box flexDirection="column">
        <HelpOverlay
          isActive={linesActive}
          groups={groups}
          width={size.columns}
          height={size.rows}
          onClose={close}
        />
        {idlePrompt}
      </Box>
    );
  }

  const now = snapshot.frozenAt ?? snapshot.time;
  if (detailOf !== undefined) {
    // The view's few keys fit one line (cut at the edge on a narrow terminal).
    const detailFooter = [[...detailKeyHints]];
    return (
      <Box flexDirection="column">
        <Header
          snapshot={snapshot}
          replay={replayStatus}
          width={size.columns}
        />
        <DetailView
          clientKey={detailOf.key}
          detail={shownDetail}
          hasBeenSeen={detailOf.seen}
          now={now}
          isFrozen={snapshot.frozen}
          width={size.columns}
          height={tableBudget({
            terminalRows: size.rows,
            footerHeight: detailFooter.length,
            promptOpen,
            inputOpen: false,
          })}
        />
        {state.overlay === 'reset' && (
          <ResetPrompt
            isActive={linesActive}
            onConfirm={confirmReset}
            onCancel={close}
          />
        )}
        {idlePrompt}
        <Footer lines={detailFooter} />
      </Box>
    );
  }

  return (
    <Box flexDirection="column">
      <Header snapshot={snapshot} replay={replayStatus} width={size.columns} />
      <StatusLine
        // What the rows are in: the query the snapshot answers, not the one just asked.
        sort={snapshot.query.sort}
        isDescending={snapshot.query.descending}
        filter={snapshot.query.filter}
        total={window.total}
        clientCount={snapshot.clientCount}
        selected={placement.selected}
        above={placement.top}
        below={window.total - placement.top - shownRows.length}
        width={size.columns}
      />
      <ClientTable
        rows={shownRows}
        start={placement.top}
        total={window.total}
        selected={placement.selected}
        now={now}
        width={size.columns}
        emptyText={
          snapshot.query.filter === ''
            ? `No clients yet: waiting for heartbeats on ${snapshot.info.listening}.`
            : `No client matches "${snapshot.query.filter}" (Esc clears the filter).`
        }
        onColumns={setColumnsOnScreen}
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
      {state.overlay === 'reset' && (
        <ResetPrompt
          isActive={linesActive}
          onConfirm={confirmReset}
          onCancel={close}
        />
      )}
      {idlePrompt}
      <Footer lines={footer} />
    </Box>
  );
}
