import { Artifact } from '@nthlayer/backstage-plugin-generators';
import JSZip from 'jszip';

/**
 * A zip of the artifacts, each at its `filename`, as a Node stream (written as it is
 * compressed, file by file).
 */
export function artifactZipStream(artifacts: Artifact[]): NodeJS.ReadableStream {
  const zip = new JSZip();
  for (const artifact of artifacts) {
    zip.file(artifact.filename, artifact.content, { date: new Date(0) });
  }
  return zip.generateNodeStream({
    type: 'nodebuffer',
    streamFiles: true,
    compression: 'DEFLATE',
    compressionOptions: { level: 6 },
  });
}

/** `checkout-api-nthlayer-configs.zip`: safe for a Content-Disposition header. */
export function artifactZipName(entityName: string): string {
  return `${entityName.replace(/[^A-Za-z0-9._-]/g, '_')}-nthlayer-configs.zip`;
}
