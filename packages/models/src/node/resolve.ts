import type * as tf from '@tensorflow/tfjs-core';
import { browserSaveHandler, type ResolveSaveHandler } from '../save-load.js';
import { browserLoadHandler, type ResolveLoadHandler } from '../weights-source.js';
import { fileHandler } from './file-handler.js';

// A scheme such as http:// or indexeddb:// goes to tfjs's routers; file:// and plain paths
// (Windows' `C:\` included, which has no `//`) stay on the file system.
const isTfjsUrl = (location: string) =>
  /^[a-z][a-z0-9+.-]*:\/\//i.test(location) && !location.startsWith('file://');

export const nodeLoadHandler: ResolveLoadHandler = (source, argument): tf.io.IOHandler =>
  isTfjsUrl(source) ? browserLoadHandler(source, argument) : fileHandler(source);

export const nodeSaveHandler: ResolveSaveHandler = (destination, argument): tf.io.IOHandler =>
  isTfjsUrl(destination) ? browserSaveHandler(destination, argument) : fileHandler(destination);
