import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The last application number given in a contract for a year; incremented atomically by upsert. */
@Entity({ name: 'reference_counters' })
export class ReferenceCounterEntity {
  @PrimaryColumn({ type: 'uuid' })
  contractId!: string;

  @PrimaryColumn({ type: 'smallint' })
  year!: number;

  @Column({ type: 'integer' })
  lastNumber!: number;
}
