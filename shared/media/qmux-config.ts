/**
 * QMux flow-control windows for every MoQ session we run (between peers, and between a window and its
 * core). The library defaults (1 MiB per session, 256 KiB per stream) make a 300 KB group stall on window
 * updates; these bound what one end can make the other buffer to 8 MiB.
 */
import type { Config } from "@moq/qmux";

/** The windows and stream limits of our qmux sessions. */
export const QMUX_CONFIG: Config = {
  maxStreamsBidi: 256n,
  maxStreamsUni: 512n,
  maxData: 8n * 1024n * 1024n,
  maxStreamDataBidiLocal: 1024n * 1024n,
  maxStreamDataBidiRemote: 1024n * 1024n,
  maxStreamDataUni: 1024n * 1024n,
};
