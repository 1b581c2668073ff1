import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AllowedToRestrictedAccount, AuthUser, CurrentUser, Public, Roles } from '../../common/auth.js';
import { UuidParam } from '../../common/uuid-param.js';
import { AccountsService, toUserDto } from './accounts.service.js';
import { ROLES } from '../../common/auth.js';
import { ChangePasswordDto, CreateUserDto, LoginDto, LoginResultDto, UserDto } from './dto/auth.dto.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly accounts: AccountsService) {}

  /** Exchanges credentials for a bearer token; rate-limited per address and e-mail (see login-rate-limit.ts). */
  @Public()
  @HttpCode(200)
  @Post('login')
  login(@Body() body: LoginDto): Promise<LoginResultDto> {
    return this.accounts.login(body.email, body.password);
  }

  /** The signed-in user, with its role, organisation, partner and contract. */
  @ApiBearerAuth()
  @Roles(...ROLES)
  @AllowedToRestrictedAccount()
  @Get('me')
  me(@CurrentUser() user: AuthUser): UserDto {
    return toUserDto(user);
  }

  /** Signs out: this token answers 401 afterwards. */
  @ApiBearerAuth()
  @Roles(...ROLES)
  @AllowedToRestrictedAccount()
  @HttpCode(204)
  @Post('logout')
  logout(@CurrentUser() user: AuthUser): Promise<void> {
    return this.accounts.logout(user);
  }

  /** Changes one's password (the current one required); the user's other tokens are revoked. */
  @ApiBearerAuth()
  @Roles(...ROLES)
  @AllowedToRestrictedAccount()
  @HttpCode(204)
  @Post('password')
  changePassword(@CurrentUser() user: AuthUser, @Body() body: ChangePasswordDto): Promise<void> {
    return this.accounts.changePassword(user, body.currentPassword, body.newPassword);
  }
}

@ApiTags('auth')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(private readonly accounts: AccountsService) {}

  /** Creates a financer's reviewer or a city-team member (CITY_TEAM only). */
  @Roles('CITY_TEAM')
  @Post()
  create(@CurrentUser() user: AuthUser, @Body() body: CreateUserDto): Promise<UserDto> {
    return this.accounts.createUser(user, body);
  }

  /** Disables a user of the city team's contract: every token of that user answers 401 at once. */
  @Roles('CITY_TEAM')
  @HttpCode(200)
  @Post(':id/disable')
  disable(@CurrentUser() user: AuthUser, @Param('id', UuidParam) id: string): Promise<UserDto> {
    return this.accounts.disableUser(user, id);
  }
}
