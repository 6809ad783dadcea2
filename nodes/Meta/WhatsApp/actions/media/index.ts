import * as deleteMedia from './delete.operation';
import * as download from './download.operation';
import * as get from './get.operation';
import * as upload from './upload.operation';

export { deleteMedia as delete, download, get, upload };
