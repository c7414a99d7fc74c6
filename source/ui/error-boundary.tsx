import {Component, type ReactNode} from 'react';

type ErrorBoundaryProps = {
  readonly children: ReactNode;
  /** Told once, with what a component threw. */
  readonly onError: (error: Error) => void;
};

/**
 * Catches what a component throws before Ink does: Ink would unmount itself, and a host that then
 * unmounts and waits for the exit would wait for ever. Draws nothing after the failure; the host
 * restores the terminal and reports it.
 */
export class ErrorBoundary extends Component<
  ErrorBoundaryProps,
  {failed: boolean}
> {
  static getDerivedStateFromError(): {failed: boolean} {
    return {failed: true};
  }

  override state = {failed: false};

  override componentDidCatch(error: Error): void {
    this.props.onError(error);
  }

  override render(): ReactNode {
    return this.state.failed ? null : this.props.children;
  }
}
