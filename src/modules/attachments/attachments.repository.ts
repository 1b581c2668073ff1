import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { queryPrepared } from '../../database/prepared.js';
import { EDITABLE_STATUSES, type ApplicationStatus } from '../applications/application-status.js';

/** A file to store on an application, with its record. */
export interface NewAttachment {
  applicationId: string;
  /** The uploader's organisation: only its holder's dossier takes the file. */
  organizationId: string | null;
  sha256: string;
  content: Buffer;
  sizeBytes: number;
  kind: string;
  filename: string;
  contentType: string;
  uploadedBy: string;
}

/** The application's status and ownership as the upload read them, and the record if one was written. */
export interface StoredAttachment {
  status: ApplicationStatus;
  owner: boolean;
  id: string | null;
  createdAt: Date | null;
}

const STORE_SQL = `WITH target AS (
           SELECT id, status, coalesce(organization_id = $2::uuid, false) AS owner,
                  status = ANY($3::text[]) AND coalesce(organization_id = $2::uuid, false) AS editable
             FROM grant_applications WHERE id = $1 FOR UPDATE),
         file AS (
           INSERT INTO attachment_files (sha256, content, size_bytes)
           SELECT $4::text, $5::bytea, $6::int FROM target WHERE editable
           ON CONFLICT DO NOTHING),
         added AS (
           INSERT INTO attachments (application_id, kind, filename, content_type, size_bytes, sha256, uploaded_by)
           SELECT id, $7::text, $8::text, $9::text, $6::int, $4::text, $10::uuid FROM target WHERE editable
           RETURNING id, created_at)
         SELECT target.status, target.owner, added.id, added.created_at AS "createdAt" FROM target LEFT JOIN added ON true`;

const REMOVE_SQL = `WITH target AS (
           SELECT id, status, coalesce(organization_id = $2::uuid, false) AS owner,
                  status = ANY($3::text[]) AND coalesce(organization_id = $2::uuid, false) AS editable
             FROM grant_applications WHERE id = $1 FOR UPDATE),
         removed AS (
           DELETE FROM attachments a USING target
            WHERE a.id = $4::uuid AND a.application_id = target.id AND target.editable
           RETURNING a.id)
         SELECT target.status, target.owner, removed.id FROM target LEFT JOIN removed ON true`;

@Injectable()
export class AttachmentsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Stores the file (once per sha256) and its record in one statement (atomic: a failed upload leaves nothing
   * behind) that also locks the application row, so that a submission cannot slip between the check and the
   * insert. It writes only on the holder's dossier in an editable status; undefined: no such application.
   */
  async store(file: NewAttachment): Promise<StoredAttachment | undefined> {
    const [row] = await queryPrepared<StoredAttachment>(this.dataSource.manager, STORE_SQL, [
      file.applicationId,
      file.organizationId,
      EDITABLE_STATUSES,
      file.sha256,
      file.content,
      file.sizeBytes,
      file.kind,
      file.filename,
      file.contentType,
      file.uploadedBy,
    ]);
    return row;
  }

  /**
   * Removes one document of the holder's editable dossier, under the same lock as an upload (a submission
   * cannot slip in between). The stored bytes stay: other records may share them (one file per sha256).
   */
  async remove(
    applicationId: string,
    organizationId: string | null,
    attachmentId: string,
  ): Promise<{ status: ApplicationStatus; owner: boolean; id: string | null } | undefined> {
    const [row] = await queryPrepared<{ status: ApplicationStatus; owner: boolean; id: string | null }>(
      this.dataSource.manager,
      REMOVE_SQL,
      [applicationId, organizationId, EDITABLE_STATUSES, attachmentId],
    );
    return row;
  }
}
