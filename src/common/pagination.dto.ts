import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class PageQueryDto {
  /** How many items at most (1 to 500). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit: number = 100;

  /** How many items to skip. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset: number = 0;
}

export interface Page<T> {
  items: T[];
  total: number;
}

export function paginate<T>(all: T[], query: { limit: number; offset: number }): Page<T> {
  return { items: all.slice(query.offset, query.offset + query.limit), total: all.length };
}
