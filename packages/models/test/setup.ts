// Every test file starts on the fastest backend this machine has (the native OpenBLAS one here),
// so that the tests that train stay quick; building models works on any backend.
import { initBackend } from '@cnnlab/backend';

await initBackend();
